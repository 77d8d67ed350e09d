package io.dino.gateway.core;

import io.dino.gateway.engine.Publication;

/** What the server pushes to a session, independent of the wire format. */
public sealed interface Event {

    /** A message stored in a room's log. */
    record RoomMessage(Publication publication) implements Event {
    }

    /** A message stored in the recipient user's inbox log. */
    record PrivateMessage(Publication publication) implements Event {
    }

    /** A message to every session; not stored. */
    record BroadcastMessage(Publication publication) implements Event {
    }

    /** A user's first session joined the room, or their last session left it. */
    record Membership(String room, String user, boolean joined) implements Event {
    }

    /** A registered room the session is in got a new name (its id stays). */
    record Renamed(String room, String name) implements Event {
    }

    /**
     * The session was taken out of the room by the server: {@code access changed} (its rules changed and it no
     * longer passes join) or {@code room removed}.
     */
    record Removed(String room, String reason) implements Event {
    }

    /** A user was kicked out of the room (sent to the kicked sessions and to the room's other sessions); {@code reason} may be empty. */
    record Kicked(String room, String user, String by, String reason) implements Event {
    }

    /** A user's status changed (sent to the user's own sessions). */
    record Status(String user, String status) implements Event {
    }

    /** The server is about to close the session; {@code until}: when a ban (code BANNED) ends, ms since the epoch, 0 = never. */
    record Disconnect(ErrorCode code, String reason, boolean reconnect, long until) implements Event {
        public Disconnect(ErrorCode code, String reason, boolean reconnect) {
            this(code, reason, reconnect, 0);
        }
    }

    /**
     * A user was banned from the room ({@code scope} {@code room}) or from its channel ({@code channel}): sent to
     * the banned sessions and the room's other sessions. {@code until}: ms since the epoch, 0 = permanent.
     */
    record Banned(String room, String user, String by, String reason, long until, String scope) implements Event {
    }

    /** A ban of the user was lifted (sent to the user's own sessions); {@code target} empty for a global ban. */
    record Unbanned(String user, String scope, String target) implements Event {
    }

    /** A user was muted in the room until {@code until} (0 = permanent), or unmuted ({@code muted} false): sent to the room. */
    record Muted(String room, String user, String by, String reason, long until, boolean muted) implements Event {
    }

    /**
     * A user acknowledged a log up to a position: a room's ({@code log} a room), or the reader's inbox (told to
     * the senders, with the ids of their acknowledged messages). {@code kind}: {@code delivered} or {@code read}.
     */
    record Receipt(io.dino.gateway.engine.LogId log, String user, String kind, String epoch, long offset,
                   java.util.List<String> ids) implements Event {
    }

    /**
     * Messages of the room were deleted or restored ({@link io.dino.gateway.engine.Control.DeletionsChanged}): one of
     * {@code ids}, {@code user} (non-empty) or {@code all}; {@code upTo} for a deletion of a user's or all messages.
     */
    record Deletion(String room, String by, java.util.List<String> ids, String user, boolean all,
                    io.dino.gateway.engine.Position upTo, boolean restored) implements Event {
    }

    /** The session's token expires soon: at {@code expiresAt} (epoch ms), in {@code in} ms; send {@code refresh} before. */
    record Expiring(long expiresAt, long in) implements Event {
    }
}
