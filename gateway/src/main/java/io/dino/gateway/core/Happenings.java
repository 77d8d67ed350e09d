package io.dino.gateway.core;

import io.dino.gateway.engine.Publication;
import io.dino.gateway.events.DomainEvent;
import io.dino.gateway.events.DomainEvents;
import io.dino.gateway.events.EventType;

import java.time.InstantSource;
import java.util.Map;

/**
 * The domain events the core emits (docs/events.md lists each type's fields), stamped with the clock. Each
 * happening is emitted once, cluster-wide, by the node where it is decided: the node serving the session or the
 * backend call (a join, a send, a kick, a room removal), or for a session's own removal (disconnect, access
 * changed) the one node holding that session. Never blocks and never fails the operation.
 */
final class Happenings {

    private final DomainEvents events;
    private final InstantSource clock;

    Happenings(DomainEvents events, InstantSource clock) {
        this.events = events;
        this.clock = clock;
    }

    void emit(EventType type, String room, String user, String by, Map<String, String> data) {
        events.emit(new DomainEvent(type, clock.millis(), room, user, by, data));
    }

    /** A message stored in a room ({@code MESSAGE}) or a user's inbox ({@code PRIVATE_MESSAGE}, {@code to}: its owner). */
    void published(Publication publication, String source) {
        if (publication.log() == null) {
            return;
        }
        Map<String, String> data = new java.util.LinkedHashMap<>(8);
        data.put("messageId", publication.id());
        data.put("epoch", publication.position().epoch());
        data.put("offset", Long.toString(publication.position().offset()));
        data.put("body", publication.bodyJson());
        data.put("source", source);
        if (publication.log().isRoom()) {
            events.emit(new DomainEvent(EventType.MESSAGE, publication.timestamp(), publication.log().name(),
                    publication.sender(), "", data));
        } else {
            data.put("to", publication.log().name());
            if (publication.whisper() != null) {
                data.put("whisperRoom", publication.whisper().room());
            }
            events.emit(new DomainEvent(EventType.PRIVATE_MESSAGE, publication.timestamp(), "",
                    publication.sender(), "", data));
        }
    }
}
