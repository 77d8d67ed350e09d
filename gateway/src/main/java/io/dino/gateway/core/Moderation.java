package io.dino.gateway.core;

import io.dino.gateway.engine.Broker;
import io.dino.gateway.engine.Control;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.PresenceStore;

import static io.dino.gateway.core.EngineCalls.call;

/**
 * Moderation of rooms: kicking a user out of a room, cluster-wide. A session may kick when it is an operator, an
 * owner or moderator of the room (stored roles), or an owner or admin of the room's channel; only operators may
 * kick operators (who is one only the nodes holding the user's sessions know: they are asked first, and the kick
 * itself spares operators' sessions should one connect meanwhile). Backends (gRPC) are trusted. The kick goes through the control plane to the nodes holding the
 * room: each takes the user's sessions out (no {@code left}) and tells the room {@code kicked}. A kick keeps
 * nobody out: the user may join again, unless {@code dino.moderation.kick-ban} makes each kick also a short room ban
 * ({@link SanctionOperations#kickBan}, stored before the kick takes the user out).
 */
public final class Moderation {

    /** Longest reason a kick may give, in characters. */
    public static final int MAX_REASON = 200;
    /** Who a backend's kick names when it names nobody. */
    public static final String SYSTEM = "system";

    private final Broker broker;
    private final PresenceStore presence;
    private final RoomPolicy policy;
    private final RoomOperations rooms;
    private final Happenings happenings;
    private final SanctionOperations sanctions;
    /** {@code dino.moderation.kick-ban} in ms: how long a kick also bans the user from the room; 0: not at all. */
    private final long kickBanMillis;

    Moderation(Broker broker, PresenceStore presence, RoomPolicy policy, Hub hub, RoomOperations rooms,
               Happenings happenings, SanctionOperations sanctions, java.time.Duration kickBan) {
        this.happenings = happenings;
        this.broker = broker;
        this.presence = presence;
        this.policy = policy;
        this.rooms = rooms;
        this.sanctions = sanctions;
        this.kickBanMillis = kickBan.toMillis();
        hub.onKick(this::takeOut);  // also takes banned sessions out (Control.BanUser): the same removal
    }

    /** A session kicks {@code user} out of {@code room}; answers how many sessions were taken out, cluster-wide. */
    public int kick(Session session, String room, String user, String reason) {
        Names.room(room);
        Names.user(user);
        String why = reason(reason);
        boolean operator = session.principal().isOperator();
        if (!operator) {
            requireModerator(session, room);
            // the token says who is an operator: only the nodes holding the user's sessions know it
            if (call(() -> broker.control(LogId.user(user), new Control.OperatorSessions(user))) > 0) {
                throw new DinoException(ErrorCode.NOT_ALLOWED, "not allowed to kick '" + user + "': an operator, "
                        + "whom only operators may kick");
            }
        }
        return kick(room, user, session.user(), why, !operator);
    }

    /** A backend kicks {@code user} out of {@code room} (trusted); {@code by} empty: {@value #SYSTEM}. */
    public int kickUser(String room, String user, String reason, String by) {
        Names.room(room);
        Names.user(user);
        String kicker = by == null || by.isBlank() ? SYSTEM : Names.user(by.strip());
        return kick(room, user, kicker, reason(reason), false);
    }

    /** Nobody is told of a kick of a user not in the room: it takes out nobody. */
    private int kick(String room, String user, String by, String reason, boolean spareOperators) {
        if (!call(() -> presence.members(room)).contains(user)) {
            return 0;
        }
        if (kickBanMillis > 0) {
            sanctions.kickBan(room, user, by, reason, kickBanMillis);
        }
        int removed = call(() -> broker.control(LogId.room(room), new Control.KickUser(room, user, by, reason, spareOperators)));
        // the one node that took the kick tells, once: the holders that applied it emit nothing (not even left)
        happenings.emit(io.dino.gateway.events.EventType.KICKED, room, user, by,
                java.util.Map.of("reason", reason, "sessions", Integer.toString(removed)));
        return removed;
    }

    /** The access snapshot decides, as it does for every other right in the room. */
    private void requireModerator(Session session, String room) {
        if (!call(() -> policy.rulesFor(session, room)).moderates(session.principal())) {
            throw new DinoException(ErrorCode.NOT_ALLOWED, "not allowed to kick in room '" + room
                    + "': needs to be an owner or moderator of the room or an owner or admin of its channel");
        }
    }

    static String reason(String reason) {
        String value = reason == null ? "" : reason.strip();
        if (value.length() > MAX_REASON || value.chars().anyMatch(Character::isISOControl)) {
            throw new DinoException(ErrorCode.INVALID_VALUE,
                    "reason must be at most " + MAX_REASON + " characters without control characters");
        }
        return value;
    }

    /**
     * Takes a kicked session out of the room without a {@code left} event (the room hears {@code kicked} instead).
     * Runs on a thread of its own (the hub's).
     */
    private void takeOut(Session session, String room) {
        try {
            session.change(() -> {
                if (session.clearTakenOut(room) && session.isIn(room)) {  // unless a join or leave already did
                    rooms.leaveRoom(session, room, false);
                }
                return null;
            });
        } catch (DinoException e) {
            if (e.code() != ErrorCode.DISCONNECTED) {
                System.getLogger(Moderation.class.getName()).log(System.Logger.Level.WARNING,
                        "taking kicked session {0} out of room {1}: {2}", session.id(), room, e.getMessage());
            }
        }
    }
}
