package io.dino.gateway.edge.ws;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.gateway.core.DinoException;
import io.dino.gateway.core.ErrorCode;

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
}
