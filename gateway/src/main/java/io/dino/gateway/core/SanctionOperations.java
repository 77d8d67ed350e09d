package io.dino.gateway.core;

import io.dino.gateway.engine.Broker;
import io.dino.gateway.engine.Control;
import io.dino.gateway.engine.Directory;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.PresenceStore;
import io.dino.gateway.engine.Roles;
import io.dino.gateway.engine.Sanctions;
import io.dino.gateway.engine.Sanctions.Kind;
import io.dino.gateway.engine.Sanctions.Sanction;
import io.dino.gateway.engine.Sanctions.Target;
import io.dino.gateway.events.DomainEvent;
import io.dino.gateway.events.DomainEvents;
import io.dino.gateway.events.EventType;

import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.dino.gateway.core.EngineCalls.call;

/**
 * Bans and mutes, cluster-wide (docs/protocol.md, "Bans and mutes"). A ban keeps a user out of a room, out of every
 * room of a channel, or off the chat ({@code global}); a mute keeps a user in a room from sending there. Each lasts a
 * duration ({@link SanctionDurations}) or for ever, records who set it and why, and counts as absent once expired.
 *
 * <p>Who may: a room's bans and mutes, its moderators ({@link RoomRules#moderates}, the kick rule); a channel's
 * bans, its owners and admins and operators; global bans and a user's bans across scopes, operators only. Only
 * operators may ban or mute operators (asked of the nodes holding the user's sessions, as a kick does; an operator
 * who is offline cannot be told apart). Backends are trusted.
 *
 * <p>Effects go through the control plane once stored: a room ban to the room's holders ({@code BanUser}: they drop
 * the room's snapshot and take the user's sessions out with {@code banned}); a channel ban likewise to each room of
 * the channel the user is in, and {@code SanctionsChanged} to the channel's other registered rooms (their snapshots
 * hold the channel's bans); a global ban to the holders of the user's log ({@code BanUserGlobally}: every session
 * closed with BANNED). Joins and sends decide from the snapshot ({@link SanctionRefusals}); connects read the global
 * bans once ({@link #requireNotBannedGlobally}).
 */
public final class SanctionOperations {

    /** What a ban did: when it ends (0: never) and how many sessions it took out or disconnected, cluster-wide. */
    public record BanResult(String user, Target target, long until, int sessions) {
    }

    private final Broker broker;
    private final PresenceStore presence;
    private final Directory directory;
    private final Roles roles;
    private final RoomPolicy policy;
    private final Sanctions sanctions;
    private final DomainEvents events;
    private final InstantSource clock;

    SanctionOperations(Broker broker, PresenceStore presence, Directory directory, Roles roles, RoomPolicy policy,
                       Sanctions sanctions, DomainEvents events, InstantSource clock) {
        this.broker = broker;
        this.presence = presence;
        this.directory = directory;
        this.roles = roles;
        this.policy = policy;
        this.sanctions = sanctions;
        this.events = events;
        this.clock = clock;
    }

    // ---- bans

    /** A session bans {@code user} from the target for {@code duration} ({@link SanctionDurations}). */
    public BanResult ban(Session session, String user, Target target, String duration, String reason) {
        Names.user(user);
        long millis = SanctionDurations.millis(duration);
        String why = Moderation.reason(reason);
        requireMay(session, target, "ban");
        boolean operator = session.principal().isOperator();
        if (!operator) {
            requireNotOperator(user, "ban");
        }
        return ban(user, target, millis, why, session.user(), !operator);
    }

    /** A backend bans {@code user} (trusted); {@code by} empty: {@value Moderation#SYSTEM}. */
    public BanResult banUser(String user, Target target, String duration, String reason, String by) {
        Names.user(user);
        requireTarget(target);
        return ban(user, target, SanctionDurations.millis(duration), Moderation.reason(reason), by(by), false);
    }

    private BanResult ban(String user, Target target, long millis, String reason, String by, boolean spareOperators) {
        long now = clock.millis();
        long until = SanctionDurations.until(now, millis);
        call(() -> {
            sanctions.put(new Sanction(Kind.BAN, target, user, by, reason, now, until));
            return null;
        });
        int sessions = switch (target.scope()) {
            case ROOM -> call(() -> broker.control(LogId.room(target.id()),
                    new Control.BanUser(target.id(), user, by, reason, until, "room", spareOperators)));
            case CHANNEL -> banInChannel(user, target.id(), by, reason, until, spareOperators);
            case GLOBAL -> call(() -> broker.control(LogId.user(user), new Control.BanUserGlobally(user,
                    disconnectReason(until, reason), until)));
        };
        emit(EventType.BANNED, target, user, by, reason, until);
        return new BanResult(user, target, until, sessions);
    }

    /** {@code banned until 2026-12-01T10:00:00Z: spam}: the reason of the disconnect a global ban sends. */
    private static String disconnectReason(long until, String reason) {
        return "banned " + SanctionRefusals.until(until) + (reason.isEmpty() ? "" : ": " + reason);
    }

    /**
     * The rooms of the channel the user is in (cluster-wide presence) are told {@code BanUser}; the channel's other
     * registered rooms only drop their snapshots. Open rooms (the default channel's unregistered ids) the user is
     * not in read the ban when next loaded.
     */
    private int banInChannel(String user, String channel, String by, String reason, long until, boolean spareOperators) {
        List<String> userRooms = call(() -> presence.roomsOfUsers(List.of(user))).getOrDefault(user, List.of());
        Set<String> taken = new HashSet<>();
        int sessions = 0;
        for (String room : userRooms) {
            String of = call(() -> directory.room(room)).map(Directory.RoomRecord::channel).orElse(Directory.DEFAULT_CHANNEL);
            if (of.equals(channel) && taken.add(room)) {
                sessions += call(() -> broker.control(LogId.room(room),
                        new Control.BanUser(room, user, by, reason, until, "channel", spareOperators)));
            }
        }
        for (String room : call(() -> directory.roomsOf(channel))) {
            if (!taken.contains(room)) {
                call(() -> broker.control(LogId.room(room), new Control.SanctionsChanged(room)));
            }
        }
        return sessions;
    }

    /** A session lifts the user's ban of the target; true if there was an active one. */
    public boolean unban(Session session, String user, Target target) {
        Names.user(user);
        requireMay(session, target, "unban");
        return unban(user, target, session.user());
    }

    /** A backend lifts the user's ban of the target (trusted). */
    public boolean unbanUser(String user, Target target, String by) {
        Names.user(user);
        requireTarget(target);
        return unban(user, target, by(by));
    }

    private boolean unban(String user, Target target, String by) {
        boolean removed = call(() -> sanctions.remove(Kind.BAN, target, user, clock.millis()));
        if (removed) {
            switch (target.scope()) {
                case ROOM -> changed(target.id());
                case CHANNEL -> call(() -> directory.roomsOf(target.id())).forEach(this::changed);
                case GLOBAL -> { }
            }
            call(() -> broker.control(LogId.user(user), new Control.UnbanUser(user, target.scopeName(), target.id())));
            emit(EventType.UNBANNED, target, user, by, "", 0);
        }
        return removed;
    }

    /** The active bans of a target (its moderators; operators for global), or of a user in every scope (operators). */
    public List<Sanction> bans(Session session, Optional<Target> target, Optional<String> user) {
        if (user.isPresent()) {
            Names.user(user.get());
            if (!session.principal().isOperator()) {
                throw new DinoException(ErrorCode.NOT_ALLOWED, "not allowed to list the bans of a user: needs to be an operator");
            }
            return call(() -> sanctions.bansOf(user.get(), clock.millis()));
        }
        Target of = target.orElseThrow();
        requireMay(session, of, "list the bans");
        return call(() -> sanctions.list(Kind.BAN, of, clock.millis()));
    }

    /** The active bans of a target, or of a user in every scope, for a backend. */
    public List<Sanction> listBans(Optional<Target> target, Optional<String> user) {
        if (user.isPresent()) {
            return call(() -> sanctions.bansOf(Names.user(user.get()), clock.millis()));
        }
        Target of = target.orElseThrow(() -> new DinoException(ErrorCode.INVALID_VALUE, "name a room, a channel, global or a user"));
        requireTarget(of);
        return call(() -> sanctions.list(Kind.BAN, of, clock.millis()));
    }

    /** BANNED when the user is banned globally: one engine read, at connect. */
    void requireNotBannedGlobally(String user) {
        call(() -> sanctions.find(Kind.BAN, Target.GLOBAL, user, clock.millis())).ifPresent(ban -> {
            throw SanctionRefusals.banned(ban);
        });
    }

    /**
     * A kick's short ban ({@code dino.moderation.kick-ban}): stored, and the room's holders drop their snapshots,
     * before the kick takes the user out, so the user cannot join again in between. Tells nobody (the kick does).
     */
    void kickBan(String room, String user, String by, String reason, long millis) {
        long now = clock.millis();
        Target target = Target.room(room);
        long until = SanctionDurations.until(now, millis);
        call(() -> {
            sanctions.put(new Sanction(Kind.BAN, target, user, by, reason, now, until));
            return null;
        });
        changed(room);
        emit(EventType.BANNED, target, user, by, reason, until);
    }

    // ---- mutes

    /** A session mutes {@code user} in the room for {@code duration}; answers when the mute ends (0: never). */
    public long mute(Session session, String room, String user, String duration, String reason) {
        Names.user(user);
        long millis = SanctionDurations.millis(duration);
        String why = Moderation.reason(reason);
        requireMay(session, Target.room(Names.room(room)), "mute");
        if (!session.principal().isOperator()) {
            requireNotOperator(user, "mute");
        }
        return mute(room, user, millis, why, session.user());
    }

    /** A backend mutes {@code user} in the room (trusted). */
    public long muteUser(String room, String user, String duration, String reason, String by) {
        Names.room(room);
        Names.user(user);
        return mute(room, user, SanctionDurations.millis(duration), Moderation.reason(reason), by(by));
    }

    private long mute(String room, String user, long millis, String reason, String by) {
        long now = clock.millis();
        long until = SanctionDurations.until(now, millis);
        call(() -> {
            sanctions.put(new Sanction(Kind.MUTE, Target.room(room), user, by, reason, now, until));
            return null;
        });
        call(() -> broker.control(LogId.room(room), new Control.MuteUser(room, user, by, reason, until, true)));
        emit(EventType.MUTED, Target.room(room), user, by, reason, until);
        return until;
    }

    /** A session unmutes {@code user} in the room; true if there was an active mute. */
    public boolean unmute(Session session, String room, String user) {
        Names.user(user);
        requireMay(session, Target.room(Names.room(room)), "unmute");
        return unmute(room, user, session.user());
    }

    /** A backend unmutes {@code user} in the room (trusted). */
    public boolean unmuteUser(String room, String user, String by) {
        Names.room(room);
        Names.user(user);
        return unmute(room, user, by(by));
    }

    private boolean unmute(String room, String user, String by) {
        boolean removed = call(() -> sanctions.remove(Kind.MUTE, Target.room(room), user, clock.millis()));
        if (removed) {
            call(() -> broker.control(LogId.room(room), new Control.MuteUser(room, user, by, "", 0, false)));
            emit(EventType.UNMUTED, Target.room(room), user, by, "", 0);
        }
        return removed;
    }

    /** The room's active mutes (its moderators). */
    public List<Sanction> mutes(Session session, String room) {
        requireMay(session, Target.room(Names.room(room)), "list the mutes");
        return call(() -> sanctions.list(Kind.MUTE, Target.room(room), clock.millis()));
    }

    /** The room's active mutes, for a backend. */
    public List<Sanction> listMutes(String room) {
        return call(() -> sanctions.list(Kind.MUTE, Target.room(Names.room(room)), clock.millis()));
    }

    // ---- rules

    /** NOT_ALLOWED unless the session may act on the target (see the class comment); NO_SUCH_* for a missing one. */
    private void requireMay(Session session, Target target, String action) {
        requireTarget(target);
        switch (target.scope()) {
            case ROOM -> {
                RoomRules rules = call(() -> policy.existing(policy.rulesFor(session, target.id())));
                if (!rules.moderates(session.principal())) {
                    throw new DinoException(ErrorCode.NOT_ALLOWED, "not allowed to " + action + " in room '" + target.id()
                            + "': needs to be an owner or moderator of the room or an owner or admin of its channel");
                }
            }
            case CHANNEL -> {
                if (session.principal().isOperator()) {
                    return;
                }
                Set<String> held = call(() -> roles.holders(Roles.Scope.channel(target.id()))).getOrDefault(session.user(), Set.of());
                if (!held.contains("owner") && !held.contains("admin")) {
                    throw new DinoException(ErrorCode.NOT_ALLOWED, "not allowed to " + action + " in channel '" + target.id()
                            + "': needs to be an owner or admin of the channel");
                }
            }
            case GLOBAL -> {
                if (!session.principal().isOperator()) {
                    throw new DinoException(ErrorCode.NOT_ALLOWED, "not allowed to " + action + " globally: needs to be an operator");
                }
            }
        }
    }

    /** INVALID_VALUE for a malformed id; NO_SUCH_CHANNEL for a channel that does not exist. */
    private void requireTarget(Target target) {
        switch (target.scope()) {
            case ROOM -> Names.room(target.id());
            case CHANNEL -> {
                Names.room(target.id());
                if (call(() -> directory.channel(target.id())).isEmpty()) {
                    throw new DinoException(ErrorCode.NO_SUCH_CHANNEL, "no such channel '" + target.id() + "'");
                }
            }
            case GLOBAL -> { }
        }
    }

    /** The token says who is an operator: only the nodes holding the user's sessions know it (as for a kick). */
    private void requireNotOperator(String user, String action) {
        if (call(() -> broker.control(LogId.user(user), new Control.OperatorSessions(user))) > 0) {
            throw new DinoException(ErrorCode.NOT_ALLOWED, "not allowed to " + action + " '" + user
                    + "': an operator, whom only operators may " + action);
        }
    }

    private void changed(String room) {
        call(() -> broker.control(LogId.room(room), new Control.SanctionsChanged(room)));
    }

    private static String by(String by) {
        return by == null || by.isBlank() ? Moderation.SYSTEM : Names.user(by.strip());
    }

    private void emit(EventType type, Target target, String user, String by, String reason, long until) {
        events.emit(new DomainEvent(type, clock.millis(), target.scope() == Sanctions.Scope.ROOM ? target.id() : "", user, by,
                Map.of("scope", target.scopeName(), "target", target.id(), "until", Long.toString(until), "reason", reason)));
    }
}
