package io.dino.gateway.edge.ws;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.dino.gateway.core.ErrorCode;
import io.dino.gateway.core.Event;
import io.dino.gateway.core.EventEncoder;
import io.dino.gateway.engine.Publication;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * Encodes what the server writes on the WebSocket (protocol v1, docs/protocol.md): replies
 * {@code {"id":..,"result":..}}, errors {@code {"id":..,"error":{code,name,message}}} and events
 * {@code {"event":..}}. Message bodies are written as the stored JSON text, never re-parsed.
 */
final class Frames implements EventEncoder {

    private final ObjectMapper mapper;

    Frames(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectNode object() {
        return mapper.createObjectNode();
    }

    String result(JsonNode id, JsonNode result) {
        ObjectNode reply = mapper.createObjectNode();
        reply.set("id", id);
        reply.set("result", result);
        return write(reply);
    }

    String error(JsonNode id, ErrorCode code, String message) {
        return error(id, code, message, java.util.Map.of());
    }

    /** {@code details}: extra fields of the error object ({@link io.dino.gateway.core.DinoException#details()}). */
    String error(JsonNode id, ErrorCode code, String message, java.util.Map<String, Object> details) {
        ObjectNode reply = mapper.createObjectNode();
        reply.set("id", id);
        ObjectNode error = reply.putObject("error");
        error.put("code", code.code());
        error.put("name", code.name());
        error.put("message", message);
        details.forEach((name, value) -> {
            if (value instanceof Long number) {
                error.put(name, number);
            } else {
                error.put(name, (String) value);
            }
        });
        return write(reply);
    }

    @Override
    public String encode(Event event) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
            json.writeStartObject();
            switch (event) {
                case Event.RoomMessage(Publication publication) -> {
                    json.writeStringField("event", "message");
                    writeMessage(json, publication, "room", publication.log().name());
                }
                case Event.PrivateMessage(Publication publication) -> {
                    json.writeStringField("event", "private");
                    writeMessage(json, publication, "to", publication.log().name());
                }
                case Event.BroadcastMessage(Publication publication) -> {
                    json.writeStringField("event", "broadcast");
                    writeMessage(json, publication, null, null);
                }
                case Event.Membership(String room, String user, boolean joined) -> {
                    json.writeStringField("event", joined ? "joined" : "left");
                    json.writeStringField("room", room);
                    json.writeStringField("user", user);
                }
                case Event.Renamed(String room, String name) -> {
                    json.writeStringField("event", "renamed");
                    json.writeStringField("room", room);
                    json.writeStringField("name", name);
                }
                case Event.Removed(String room, String reason) -> {
                    json.writeStringField("event", "removed");
                    json.writeStringField("room", room);
                    json.writeStringField("reason", reason);
                }
                case Event.Kicked(String room, String user, String by, String reason) -> {
                    json.writeStringField("event", "kicked");
                    json.writeStringField("room", room);
                    json.writeStringField("user", user);
                    json.writeStringField("by", by);
                    json.writeStringField("reason", reason);
                }
                case Event.Status(String user, String status) -> {
                    json.writeStringField("event", "status");
                    json.writeStringField("user", user);
                    json.writeStringField("status", status);
                }
                case Event.Receipt(io.dino.gateway.engine.LogId log, String user, String kind, String epoch, long offset,
                                   java.util.List<String> ids) -> {
                    json.writeStringField("event", "receipt");
                    json.writeStringField(log.isRoom() ? "room" : "to", log.name());
                    json.writeStringField("user", user);
                    json.writeStringField("kind", kind);
                    json.writeStringField("epoch", epoch);
                    json.writeNumberField("offset", offset);
                    if (!log.isRoom()) {
                        json.writeArrayFieldStart("ids");
                        for (String id : ids) {
                            json.writeString(id);
                        }
                        json.writeEndArray();
                    }
                }
                case Event.Deletion deletion -> writeDeletion(json, deletion);
                case Event.Disconnect(ErrorCode code, String reason, boolean reconnect, long until) -> {
                    json.writeStringField("event", "disconnect");
                    json.writeNumberField("code", code.code());
                    json.writeStringField("name", code.name());
                    json.writeStringField("reason", reason);
                    json.writeBooleanField("reconnect", reconnect);
                    if (code == ErrorCode.BANNED) {
                        json.writeNumberField("until", until);
                    }
                }
                case Event.Banned(String room, String user, String by, String reason, long until, String scope) -> {
                    json.writeStringField("event", "banned");
                    json.writeStringField("room", room);
                    json.writeStringField("user", user);
                    json.writeStringField("by", by);
                    json.writeStringField("reason", reason);
                    json.writeNumberField("until", until);
                    json.writeStringField("scope", scope);
                }
                case Event.Unbanned(String user, String scope, String target) -> {
                    json.writeStringField("event", "unbanned");
                    json.writeStringField("user", user);
                    json.writeStringField("scope", scope);
                    json.writeStringField("target", target);
                }
                case Event.Muted(String room, String user, String by, String reason, long until, boolean muted) -> {
                    json.writeStringField("event", muted ? "muted" : "unmuted");
                    json.writeStringField("room", room);
                    json.writeStringField("user", user);
                    json.writeStringField("by", by);
                    if (muted) {
                        json.writeStringField("reason", reason);
                        json.writeNumberField("until", until);
                    }
                }
                case Event.Expiring(long expiresAt, long in) -> {
                    json.writeStringField("event", "expiring");
                    json.writeNumberField("expiresAt", expiresAt);
                    json.writeNumberField("in", in);
                }
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * {@code deleted} / {@code restored}: room, by, then {@code ids}, {@code user} or {@code all}; a deletion of a user's
     * or all messages says up to where ({@code epoch}, {@code offset}: that message and those before it).
     */
    private static void writeDeletion(JsonGenerator json, Event.Deletion deletion) throws IOException {
        json.writeStringField("event", deletion.restored() ? "restored" : "deleted");
        json.writeStringField("room", deletion.room());
        json.writeStringField("by", deletion.by());
        if (deletion.all()) {
            json.writeBooleanField("all", true);
        } else if (!deletion.user().isEmpty()) {
            json.writeStringField("user", deletion.user());
        } else {
            json.writeArrayFieldStart("ids");
            for (String id : deletion.ids()) {
                json.writeString(id);
            }
            json.writeEndArray();
        }
        if (!deletion.restored() && (deletion.all() || !deletion.user().isEmpty())) {
            json.writeStringField("epoch", deletion.upTo().epoch());
            json.writeNumberField("offset", deletion.upTo().offset());
        }
    }

    /** A stored message as it appears in history and recovery results; the body stays raw JSON text. */
    ObjectNode message(Publication publication) {
        ObjectNode message = mapper.createObjectNode();
        message.put("id", publication.id());
        message.put(publication.log().isRoom() ? "room" : "to", publication.log().name());
        message.put("from", publication.sender());
        message.put("ts", publication.timestamp());
        message.put("epoch", publication.position().epoch());
        message.put("offset", publication.position().offset());
        if (publication.whisper() != null) {
            message.put("whisper", publication.whisper().room());
            publication.whisper().to().forEach(message.putArray("recipients")::add);
        }
        message.putRawValue("body", new RawValue(publication.bodyJson()));
        return message;
    }

    private static void writeMessage(JsonGenerator json, Publication publication, String target, String targetName)
            throws IOException {
        json.writeObjectFieldStart("msg");
        json.writeStringField("id", publication.id());
        if (target != null) {
            json.writeStringField(target, targetName);
        }
        json.writeStringField("from", publication.sender());
        json.writeNumberField("ts", publication.timestamp());
        if (publication.position() != null) {
            json.writeStringField("epoch", publication.position().epoch());
            json.writeNumberField("offset", publication.position().offset());
        }
        if (publication.whisper() != null) {
            json.writeStringField("whisper", publication.whisper().room());
            json.writeArrayFieldStart("recipients");
            for (String user : publication.whisper().to()) {
                json.writeString(user);
            }
            json.writeEndArray();
        }
        json.writeFieldName("body");
        json.writeRawValue(publication.bodyJson());
        json.writeEndObject();
    }

    private String write(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
