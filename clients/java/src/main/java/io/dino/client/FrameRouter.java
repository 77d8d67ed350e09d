package io.dino.client;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Decides what a received text frame is and hands it on:
 * <ul>
 *   <li>an object with {@code "event"} and no {@code "id"} is an event;</li>
 *   <li>an object whose {@code "id"} names a waiting request completes that request, with its {@code result}
 *       or exceptionally with a {@link DinoException} built from its {@code error};</li>
 *   <li>anything else (a null or unknown id, a late reply, a frame that is not a JSON object) is unmatched.
 *       Text that is not JSON at all is passed on as a {@link TextNode} holding the raw text.</li>
 * </ul>
 * Kept free of I/O so the routing rules can be tested alone.
 */
final class FrameRouter {

    private final ObjectMapper mapper;
    private final PendingRequests pending;
    private final Consumer<JsonNode> events;
    private final Consumer<JsonNode> unmatched;

    FrameRouter(ObjectMapper mapper, PendingRequests pending, Consumer<JsonNode> events, Consumer<JsonNode> unmatched) {
        this.mapper = mapper;
        this.pending = pending;
        this.events = events;
        this.unmatched = unmatched;
    }

    void route(String text) {
        JsonNode frame;
        try {
            frame = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            unmatched.accept(TextNode.valueOf(text));
            return;
        }
        if (frame == null || !frame.isObject()) {
            unmatched.accept(frame == null || frame.isMissingNode() ? TextNode.valueOf(text) : frame);
            return;
        }
        JsonNode id = frame.get("id");
        if (id == null) {
            if (frame.hasNonNull("event")) {
                events.accept(frame);
            } else {
                unmatched.accept(frame);
            }
            return;
        }
        CompletableFuture<JsonNode> waiter = id.isIntegralNumber() && id.canConvertToInt() ? pending.take(id.intValue()) : null;
        if (waiter == null) {
            unmatched.accept(frame);
            return;
        }
        JsonNode error = frame.get("error");
        JsonNode result = frame.get("result");
        if (error != null && !error.isNull()) {
            waiter.completeExceptionally(toException(error));
        } else if (result != null) {
            waiter.complete(result);
        } else {
            // A reply with neither part is a server bug; surface it instead of inventing an empty result.
            waiter.completeExceptionally(new DinoException(0, "MALFORMED_REPLY", "reply has neither result nor error: " + frame));
        }
    }

    static DinoException toException(JsonNode error) {
        return new DinoException(error.path("code").asInt(0), error.path("name").asText("UNKNOWN"), error.path("message").asText(""),
                optionalLong(error.get("retryAfterMs")), optionalLong(error.get("until")), null);
    }

    private static java.util.OptionalLong optionalLong(JsonNode field) {
        return field != null && field.canConvertToLong() && field.isIntegralNumber()
                ? java.util.OptionalLong.of(field.asLong()) : java.util.OptionalLong.empty();
    }
}
