package io.dino.gateway.engine.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dino.gateway.engine.EventLog;
import io.dino.gateway.events.DomainEvent;
import io.dino.gateway.events.EventType;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The fields of one entry of the events stream (docs/events.md): {@code type} (the wire name, for consumers that
 * filter before parsing), {@code room} (empty when none) and {@code event}, the {@code dino.v1.Event} message in
 * the proto3 JSON mapping (without {@code id}: the entry id is the position), so consumers in any language read it
 * without generated code, and those with it parse it with their protobuf JSON parser.
 */
final class EventCodec {

    static final String TYPE = "type";
    static final String ROOM = "room";
    static final String EVENT = "event";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(EventCodec.class.getName());

    private EventCodec() {
    }

    /** The entry's fields, in this order. */
    static Map<String, String> fields(String node, DomainEvent event) {
        ObjectNode json = JSON.createObjectNode()
                .put("type", event.type().name())
                .put("timeMs", event.timeMs())
                .put("node", node)
                .put("room", event.room())
                .put("user", event.user())
                .put("by", event.by());
        ObjectNode data = json.putObject("data");
        event.data().forEach(data::put);
        Map<String, String> fields = new LinkedHashMap<>(4);
        fields.put(TYPE, event.type().wireName());
        fields.put(ROOM, event.room());
        fields.put(EVENT, json.toString());
        return fields;
    }

    /** The entry back as the node wrote it; empty (logged) for an entry this node cannot read (a newer type). */
    static Optional<EventLog.Entry> entry(String id, Map<String, String> fields) {
        try {
            JsonNode json = JSON.readTree(fields.getOrDefault(EVENT, "{}"));
            EventType type = EventType.valueOf(json.path("type").asText());
            Map<String, String> data = new LinkedHashMap<>();
            json.path("data").fields().forEachRemaining(field -> data.put(field.getKey(), field.getValue().asText()));
            DomainEvent event = new DomainEvent(type, json.path("timeMs").asLong(), json.path("room").asText(),
                    json.path("user").asText(), json.path("by").asText(), data);
            return Optional.of(new EventLog.Entry(id, json.path("node").asText(), event));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "skipping events stream entry {0}: {1}", id, e.getMessage());
            return Optional.empty();
        }
    }
}
