package io.dino.gateway.events;

import java.util.Map;

/**
 * One thing that happened in the chat, for other services (docs/events.md).
 *
 * @param room the room it happened in, empty when none
 * @param user whom it is about (the sender of a message, the kicked or banned user), empty when nobody
 * @param by   who did it when that is someone else (the moderator, the backend's {@code by}), empty when nobody
 * @param data what else the type defines (message id, body, reason, until…), by name
 */
public record DomainEvent(EventType type, long timeMs, String room, String user, String by, Map<String, String> data) {

    public DomainEvent {
        room = room == null ? "" : room;
        user = user == null ? "" : user;
        by = by == null ? "" : by;
        data = Map.copyOf(data);
    }
}
