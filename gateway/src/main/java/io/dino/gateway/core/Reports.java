package io.dino.gateway.core;

import io.dino.gateway.events.DomainEvent;
import io.dino.gateway.events.DomainEvents;
import io.dino.gateway.events.EventType;

import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reports of a message or a user, and requests for an admin, from sessions: each is posted to the
 * {@link AdminRoom} (operators on every node see it live, and in its history) and emitted as a
 * {@link EventType#REPORTED} domain event.
 */
public final class Reports {

    /** Longest reason, in characters. */
    public static final int MAX_REASON = 500;
    /** Longest message id a report may name. */
    private static final int MAX_ID = 64;

    private final AdminRoom adminRoom;
    private final DomainEvents events;
    private final InstantSource clock;

    Reports(AdminRoom adminRoom, DomainEvents events, InstantSource clock) {
        this.adminRoom = adminRoom;
        this.events = events;
        this.clock = clock;
    }

    public AdminRoom adminRoom() {
        return adminRoom;
    }

    /**
     * Reports a message ({@code room} and {@code id}, the message's id) or a user ({@code user}, with {@code room} as where, optional),
     * or both (the user who sent that message). Nothing is checked against the room or its history: a user may
     * report what they saw after leaving.
     */
    public void report(Session session, Optional<String> room, Optional<String> id, Optional<String> user, String reason) {
        room.ifPresent(Names::room);
        user.ifPresent(Names::user);
        id.ifPresent(Reports::messageId);
        if (id.isPresent() && room.isEmpty()) {
            throw new DinoException(ErrorCode.MISSING_FIELD, "'room' is required with 'message'");
        }
        if (id.isEmpty() && user.isEmpty()) {
            throw new DinoException(ErrorCode.MISSING_FIELD, "report a message (room and message) or a user (user)");
        }
        String why = reason(reason);
        Map<String, Object> post = new LinkedHashMap<>();
        post.put("type", "report");
        post.put("by", session.user());
        room.ifPresent(r -> post.put("room", r));
        id.ifPresent(i -> post.put("messageId", i));
        user.ifPresent(u -> post.put("user", u));
        if (!why.isEmpty()) {
            post.put("reason", why);
        }
        String posted = adminRoom.post(post);
        Map<String, String> data = new LinkedHashMap<>();
        data.put("kind", "report");
        id.ifPresent(i -> data.put("messageId", i));
        data.put("reason", why);
        data.put("post", posted);
        events.emit(new DomainEvent(EventType.REPORTED, clock.millis(), room.orElse(""), user.orElse(""), session.user(), data));
    }

    /**
     * Asks for an admin in a room the session is in: posted to the admin room even when no operator is there; answers
     * how many users (operators) are in the admin room now, on every node.
     */
    public int requestAdmin(Session session, String room, String reason) {
        Names.room(room);
        if (!session.isIn(room)) {
            throw new DinoException(ErrorCode.NOT_IN_ROOM, "join room '" + room + "' before requesting an admin for it");
        }
        String why = reason(reason);
        Map<String, Object> post = new LinkedHashMap<>();
        post.put("type", "request-admin");
        post.put("by", session.user());
        post.put("room", room);
        if (!why.isEmpty()) {
            post.put("reason", why);
        }
        String posted = adminRoom.post(post);
        events.emit(new DomainEvent(EventType.REPORTED, clock.millis(), room, "", session.user(),
                Map.of("kind", "request-admin", "reason", why, "post", posted)));
        return adminRoom.admins();
    }

    private static void messageId(String id) {
        if (id.isEmpty() || id.length() > MAX_ID || id.chars().anyMatch(Character::isISOControl)) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "message must be a message id (1-" + MAX_ID + " characters)");
        }
    }

    private static String reason(String reason) {
        String value = reason == null ? "" : reason.strip();
        if (value.length() > MAX_REASON || value.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
            throw new DinoException(ErrorCode.INVALID_VALUE,
                    "reason must be at most " + MAX_REASON + " characters without control characters");
        }
        return value;
    }
}
