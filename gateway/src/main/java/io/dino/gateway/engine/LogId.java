package io.dino.gateway.engine;

/**
 * Names one log: a room's log or a user's inbox. Every publication lives in exactly one log,
 * and positions (epoch, offset) are only comparable within the same log.
 *
 * @param kind whose log this is
 * @param name the room name or the user id
 */
public record LogId(Kind kind, String name) {

    /** Rooms carry room messages; user logs are inboxes of private messages and notifications. */
    public enum Kind { ROOM, USER }

    public static LogId room(String room) {
        return new LogId(Kind.ROOM, room);
    }

    public static LogId user(String user) {
        return new LogId(Kind.USER, user);
    }

    public boolean isRoom() {
        return kind == Kind.ROOM;
    }
}
