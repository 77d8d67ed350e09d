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

    /** The server is about to close the session. */
    record Disconnect(ErrorCode code, String reason, boolean reconnect) implements Event {
    }

    /** The session's token expires soon: at {@code expiresAt} (epoch ms), in {@code in} ms; send {@code refresh} before. */
    record Expiring(long expiresAt, long in) implements Event {
    }
}
