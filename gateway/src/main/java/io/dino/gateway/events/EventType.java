package io.dino.gateway.events;

/**
 * What happened, as other services see it (docs/events.md). The wire name is what the Redis stream's {@code type}
 * field and the gRPC {@code Event.type} carry.
 */
public enum EventType {
    CONNECTED("connected"),
    DISCONNECTED("disconnected"),
    JOINED("joined"),
    LEFT("left"),
    MESSAGE("message"),
    PRIVATE_MESSAGE("private"),
    KICKED("kicked"),
    BANNED("banned"),
    UNBANNED("unbanned"),
    MUTED("muted"),
    UNMUTED("unmuted"),
    DELETED("deleted"),
    RESTORED("restored"),
    ROOM_CREATED("room-created"),
    ROOM_REMOVED("room-removed"),
    ROOM_RENAMED("room-renamed"),
    BLACKLISTED("blacklisted"),
    REPORTED("reported"),
    STATUS_CHANGED("status"),
    ADMIN_ACTION("admin-action");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
