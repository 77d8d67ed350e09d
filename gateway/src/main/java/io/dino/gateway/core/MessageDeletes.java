package io.dino.gateway.core;

import io.dino.gateway.engine.Broker;
import io.dino.gateway.engine.Control;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.engine.Tombstones;
import io.dino.gateway.events.DomainEvent;
import io.dino.gateway.events.DomainEvents;
import io.dino.gateway.events.EventType;

import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static io.dino.gateway.core.EngineCalls.call;
import static io.dino.gateway.core.EngineCalls.run;

/**
 * Soft deletion of a room's messages, cluster-wide: one message (by id), all of a user's messages in the room up to
 * now, or all of the room up to now. Deleted messages stay in the log ({@link Tombstones} say what is hidden) and are
 * left out of history pages and recoveries on every node until restored. The author of a message may delete it; the
 * room's moderators (the access snapshot's {@link RoomRules#moderates}) may delete any form, but only operators may
 * delete an operator's messages (one message, or the user form; the all form spares nobody); only operators restore.
 * Backends (gRPC) are trusted. Each change goes through the control plane to the nodes holding the room, which tell
 * the sessions in it ({@code deleted} / {@code restored}), and out as a domain event. Nothing of this is on the send
 * path. Private messages are not deleted.
 */
public final class MessageDeletes {

    /** What a delete or restore is about: exactly one form. */
    public sealed interface Target {
        /** One message, by id; {@code offset}, when the client knows it, finds it with one read instead of a scan. */
        record Message(String id, OptionalLong offset) implements Target {
        }

        /** Every message of the user in the room, up to now. */
        record User(String user) implements Target {
        }

        /** Every message of the room, up to now. */
        record All() implements Target {
        }
    }

    /**
     * What a delete or restore did: {@code ids} (single messages: those deleted, or those whose deletion was taken
     * back), or {@code user}, or {@code all}; {@code upTo} where a deletion of a user's or all messages ends
     * ({@link Position#EMPTY} when the room has no messages, or for a restore); {@code changed} false when nothing was
     * stored or taken away (and nobody was told).
     */
    public record Outcome(String room, List<String> ids, String user, boolean all, Position upTo, boolean changed) {
    }

    /** How many messages a search by id reads at a time, newest first. */
    private static final int SCAN_CHUNK = 200;
    /** How far apart two nodes' clocks may be: the search stops at messages older than the id's time by more. */
    private static final long CLOCK_SKEW_MILLIS = 60_000;
    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private final Broker broker;
    private final Tombstones tombstones;
    private final RoomPolicy policy;
    private final DomainEvents events;
    private final InstantSource clock;

    MessageDeletes(Broker broker, Tombstones tombstones, RoomPolicy policy, DomainEvents events, InstantSource clock) {
        this.broker = broker;
        this.tombstones = tombstones;
        this.policy = policy;
        this.events = events;
        this.clock = clock;
    }

    /** A session deletes: its own message, or, as one of the room's moderators, any form. */
    public Outcome delete(Session session, String room, Target target) {
        Names.room(room);
        boolean moderator = session.principal().isOperator()
                || call(() -> policy.rulesFor(session, room)).moderates(session.principal());
        return switch (target) {
            case Target.Message message -> {
                Publication found = find(room, message);
                boolean own = found.sender().equals(session.user());
                if (!moderator && !own) {
                    throw new DinoException(ErrorCode.NOT_ALLOWED, "not allowed to delete message '" + message.id()
                            + "' in room '" + room + "': only its author and the room's moderators may (owners and "
                            + "moderators of the room, owners and admins of its channel, operators)");
                }
                if (!own) {
                    spareOperators(session, found.sender());
                }
                yield deleteMessage(room, found, session.user());
            }
            case Target.User user -> {
                requireModerator(moderator, room, "the messages of '" + user.user() + "'");
                String author = Names.user(user.user());
                if (!author.equals(session.user())) {
                    spareOperators(session, author);
                }
                yield deleteUpTo(room, author, session.user());
            }
            case Target.All ignored -> {
                requireModerator(moderator, room, "all messages");
                yield deleteUpTo(room, "", session.user());
            }
        };
    }

    /** A session restores deleted messages: operators only. */
    public Outcome restore(Session session, String room, Target target) {
        Names.room(room);
        if (!session.principal().isOperator()) {
            throw new DinoException(ErrorCode.NOT_ALLOWED, "not allowed to restore messages in room '" + room
                    + "': only operators may restore deleted messages");
        }
        return restore(room, target, session.user());
    }

    /** A backend deletes (trusted); {@code by} empty: {@value Moderation#SYSTEM}. */
    public Outcome deleteMessages(String room, Target target, String by) {
        Names.room(room);
        String who = by(by);
        return switch (target) {
            case Target.Message message -> deleteMessage(room, find(room, message), who);
            case Target.User user -> deleteUpTo(room, Names.user(user.user()), who);
            case Target.All ignored -> deleteUpTo(room, "", who);
        };
    }

    /** A backend restores (trusted); {@code by} empty: {@value Moderation#SYSTEM}. */
    public Outcome restoreMessages(String room, Target target, String by) {
        Names.room(room);
        return restore(room, target, by(by));
    }

    private Outcome restore(String room, Target target, String by) {
        Outcome outcome = switch (target) {
            case Target.Message message -> {
                String id = find(room, message).id();
                List<String> restored = call(() -> tombstones.restoreMessages(room, List.of(id)));
                yield new Outcome(room, restored, "", false, Position.EMPTY, !restored.isEmpty());
            }
            case Target.User user -> {
                String name = Names.user(user.user());
                yield new Outcome(room, List.of(), name, false, Position.EMPTY, call(() -> tombstones.restoreUser(room, name)));
            }
            case Target.All ignored -> new Outcome(room, List.of(), "", true, Position.EMPTY, call(() -> tombstones.restoreAll(room)));
        };
        if (outcome.changed()) {
            tell(outcome, by, true);
        }
        return outcome;
    }

    private Outcome deleteMessage(String room, Publication message, String by) {
        run(() -> tombstones.deleteMessages(room, List.of(new Tombstones.Mark(message.id(), message.sender(), message.position()))));
        Outcome outcome = new Outcome(room, List.of(message.id()), "", false, Position.EMPTY, true);
        tell(outcome, by, false, message.sender());
        return outcome;
    }

    /** A user's ({@code user} non-empty) or all messages of the room, up to the room's latest. */
    private Outcome deleteUpTo(String room, String user, String by) {
        Position top = call(() -> broker.top(LogId.room(room)));
        boolean all = user.isEmpty();
        if (top.equals(Position.EMPTY)) {
            return new Outcome(room, List.of(), user, all, top, false);  // no messages: nothing to hide
        }
        run(() -> {
            if (all) {
                tombstones.deleteAllUpTo(room, top);
            } else {
                tombstones.deleteUserUpTo(room, user, top);
            }
        });
        Outcome outcome = new Outcome(room, List.of(), user, all, top, true);
        tell(outcome, by, false, user);
        return outcome;
    }

    private void tell(Outcome outcome, String by, boolean restored) {
        tell(outcome, by, restored, outcome.user());
    }

    /** The room's sessions on every node, then other services. */
    private void tell(Outcome outcome, String by, boolean restored, String about) {
        call(() -> broker.control(LogId.room(outcome.room()), new Control.DeletionsChanged(outcome.room(), by, outcome.ids(),
                outcome.user(), outcome.all(), outcome.upTo(), restored)));
        Map<String, String> data = new java.util.HashMap<>();
        if (!outcome.ids().isEmpty()) {
            data.put("messageIds", String.join(",", outcome.ids()));
        } else if (outcome.all()) {
            data.put("all", "true");
        } else {
            data.put("user", outcome.user());
        }
        if (!outcome.upTo().equals(Position.EMPTY)) {
            data.put("epoch", outcome.upTo().epoch());
            data.put("offset", Long.toString(outcome.upTo().offset()));
        }
        events.emit(new DomainEvent(restored ? EventType.RESTORED : EventType.DELETED, clock.millis(), outcome.room(), about,
                by, data));
    }

    /**
     * The message of the room with this id, while the log holds it: at {@code offset} when given (one read), else
     * searched newest first, {@value #SCAN_CHUNK} at a time, down to messages older than the id's time (ids begin
     * with their creation time) by more than the clocks' skew. NO_SUCH_MESSAGE when the log does not hold it.
     */
    Publication find(String room, Target.Message message) {
        String id = message.id();
        long created = createdAt(id);
        LogId log = LogId.room(room);
        if (message.offset().isPresent()) {
            long offset = message.offset().getAsLong();
            List<Publication> at = offset < 1 ? List.of() : call(() -> broker.after(log, offset - 1, 1));
            if (at.size() == 1 && at.getFirst().id().equals(id)) {
                return at.getFirst();
            }
            throw noSuchMessage(room, id);
        }
        long cursor = Long.MAX_VALUE;
        String epoch = null;
        while (true) {
            long before = cursor;
            Broker.Page page = call(() -> broker.pageBefore(log, before, SCAN_CHUNK));
            if (epoch != null && !epoch.equals(page.top().epoch())) {
                throw noSuchMessage(room, id);
            }
            epoch = page.top().epoch();
            List<Publication> messages = page.messages();
            for (int i = messages.size() - 1; i >= 0; i--) {
                if (messages.get(i).id().equals(id)) {
                    return messages.get(i);
                }
            }
            if (messages.size() < SCAN_CHUNK || messages.getFirst().timestamp() < created - CLOCK_SKEW_MILLIS) {
                throw noSuchMessage(room, id);
            }
            cursor = messages.getFirst().position().offset();
        }
    }

    /** The creation time an id begins with (its first 10 characters, Crockford base32); INVALID_VALUE for no id. */
    private static long createdAt(String id) {
        if (id == null || id.length() != 26) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "id must be a message id (26 characters)");
        }
        long time = 0;
        for (int i = 0; i < 26; i++) {
            int digit = CROCKFORD.indexOf(id.charAt(i));
            if (digit < 0) {
                throw new DinoException(ErrorCode.INVALID_VALUE, "id must be a message id (26 characters)");
            }
            if (i < 10) {
                time = time << 5 | digit;
            }
        }
        return time;
    }

    private static DinoException noSuchMessage(String room, String id) {
        return new DinoException(ErrorCode.NO_SUCH_MESSAGE, "room '" + room + "' has no message '" + id
                + "' (never sent there, or no longer kept)");
    }

    /**
     * Only operators may delete an operator's messages: who is one only the nodes holding the user's sessions know
     * (their tokens say so), so they are asked, as for a kick. An operator with no session now is not known as one.
     */
    private void spareOperators(Session session, String author) {
        if (session.principal().isOperator() || Names.SYSTEM_SENDER.equals(author)) {
            return;
        }
        if (call(() -> broker.control(LogId.user(author), new Control.OperatorSessions(author))) > 0) {
            throw new DinoException(ErrorCode.NOT_ALLOWED, "not allowed to delete the messages of '" + author
                    + "': an operator, whose messages only operators may delete");
        }
    }

    private static void requireModerator(boolean moderator, String room, String what) {
        if (!moderator) {
            throw new DinoException(ErrorCode.NOT_ALLOWED, "not allowed to delete " + what + " in room '" + room
                    + "': needs to be an owner or moderator of the room or an owner or admin of its channel");
        }
    }

    private static String by(String by) {
        return by == null || by.isBlank() ? Moderation.SYSTEM : Names.user(by.strip());
    }
}
