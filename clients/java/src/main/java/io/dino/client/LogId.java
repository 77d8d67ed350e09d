package io.dino.client;

import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Names a log whose messages carry positions: a room's log, or the user's inbox (private messages).
 *
 * @param room the room, or null for the inbox
 */
public record LogId(String room) {

    /** The connected user's inbox. */
    public static final LogId INBOX = new LogId(null);

    /** A room's log. */
    public static LogId room(String room) {
        return new LogId(Objects.requireNonNull(room, "room"));
    }

    public boolean isInbox() {
        return room == null;
    }

    /** The event name this log's messages arrive as: {@code message} for rooms, {@code private} for the inbox. */
    public String eventName() {
        return isInbox() ? "private" : "message";
    }

    /**
     * The log a {@code message} or {@code private} event belongs to.
     *
     * @return the log, or null for any other event (or a {@code message} without {@code msg.room})
     */
    public static LogId of(JsonNode event) {
        String type = event.path("event").asText("");
        if (type.equals("private")) {
            return INBOX;
        }
        if (type.equals("message")) {
            JsonNode room = event.path("msg").get("room");
            return room != null && room.isTextual() ? room(room.asText()) : null;
        }
        return null;
    }

    @Override
    public String toString() {
        return isInbox() ? "inbox" : "room:" + room;
    }
}
