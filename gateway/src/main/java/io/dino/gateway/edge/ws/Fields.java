package io.dino.gateway.edge.ws;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.gateway.core.DinoException;
import io.dino.gateway.core.ErrorCode;
import io.dino.gateway.engine.Position;

import java.util.Optional;
import java.util.OptionalLong;

/** Reads typed fields from a command frame, with the protocol's errors for missing or mistyped ones. */
final class Fields {

    private Fields() {
    }

    static String text(JsonNode frame, String field) {
        JsonNode value = frame.get(field);
        if (value == null || value.isNull()) {
            throw new DinoException(ErrorCode.MISSING_FIELD, "'" + field + "' is required");
        }
        if (!value.isTextual()) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "'" + field + "' must be a string");
        }
        return value.asText();
    }

    /** An optional {@code {"epoch": "...", "offset": N}} object: where a client stopped reading a log. */
    static Optional<Position> optionalPosition(JsonNode frame, String field) {
        JsonNode value = frame.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        JsonNode epoch = value.get("epoch");
        JsonNode offset = value.get("offset");
        if (!value.isObject() || epoch == null || !epoch.isTextual() || offset == null || !offset.canConvertToLong()
                || !offset.isIntegralNumber() || offset.longValue() < 0) {
            throw new DinoException(ErrorCode.INVALID_VALUE,
                    "'" + field + "' must be {\"epoch\": string, \"offset\": whole number >= 0}");
        }
        return Optional.of(new Position(epoch.asText(), offset.longValue()));
    }

    static OptionalLong optionalOffset(JsonNode frame, String field) {
        JsonNode value = frame.get(field);
        if (value == null || value.isNull()) {
            return OptionalLong.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "'" + field + "' must be an offset (a whole number >= 0)");
        }
        return OptionalLong.of(value.longValue());
    }

    static boolean optionalBoolean(JsonNode frame, String field) {
        return optionalBoolean(frame, field, false);
    }

    static boolean optionalBoolean(JsonNode frame, String field, boolean absent) {
        JsonNode value = frame.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.isBoolean()) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "'" + field + "' must be true or false");
        }
        return value.booleanValue();
    }

    static int optionalInt(JsonNode frame, String field, int defaultValue) {
        JsonNode value = frame.get(field);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "'" + field + "' must be a whole number");
        }
        return value.intValue();
    }

    /** A required array of strings. */
    static java.util.List<String> texts(JsonNode frame, String field) {
        JsonNode value = frame.get(field);
        if (value == null || value.isNull()) {
            throw new DinoException(ErrorCode.MISSING_FIELD, "'" + field + "' is required");
        }
        if (!value.isArray()) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "'" + field + "' must be an array of strings");
        }
        java.util.List<String> texts = new java.util.ArrayList<>(value.size());
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw new DinoException(ErrorCode.INVALID_VALUE, "'" + field + "' must be an array of strings");
            }
            texts.add(element.asText());
        }
        return texts;
    }

    static Optional<String> optionalText(JsonNode frame, String field) {
        JsonNode value = frame.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        return Optional.of(text(frame, field));
    }

    /** An optional array of strings; empty when absent. */
    static java.util.List<String> optionalTexts(JsonNode frame, String field) {
        JsonNode value = frame.get(field);
        return value == null || value.isNull() ? java.util.List.of() : texts(frame, field);
    }

    /** A required object whose values are strings (e.g. action → rule), in the order given. */
    static java.util.Map<String, String> textMap(JsonNode frame, String field) {
        JsonNode value = frame.get(field);
        if (value == null || value.isNull()) {
            throw new DinoException(ErrorCode.MISSING_FIELD, "'" + field + "' is required");
        }
        if (!value.isObject()) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "'" + field + "' must be an object of strings");
        }
        java.util.Map<String, String> texts = new java.util.LinkedHashMap<>();
        for (java.util.Map.Entry<String, JsonNode> entry : value.properties()) {
            if (!entry.getValue().isTextual()) {
                throw new DinoException(ErrorCode.INVALID_VALUE, "'" + field + "' must be an object of strings");
            }
            texts.put(entry.getKey(), entry.getValue().asText());
        }
        return texts;
    }
}
