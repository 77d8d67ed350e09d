package io.dino.gateway.edge.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dino.gateway.core.DinoException;
import io.dino.gateway.core.ErrorCode;
import io.dino.gateway.edge.json.JsonBodies;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;


/**
 * How the admin API speaks HTTP: JSON replies, and every error as its Dino error code, name and message
 * ({@code {"code": 4011, "name": "INVALID_TOKEN", "message": "..."}}, the shape of the WebSocket protocol's errors and
 * of the demo token endpoint) with the HTTP status that fits it.
 */
final class AdminHttp {

    /** An action request is a few names and a reason: anything longer is not one. */
    static final int MAX_BODY_BYTES = 16_384;

    private final ObjectMapper mapper;

    AdminHttp(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectNode object() {
        return mapper.createObjectNode();
    }

    void send(ServerResponse res, JsonNode body) {
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        try {
            res.send(mapper.writeValueAsString(body));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    void error(ServerResponse res, DinoException e) {
        error(res, status(e.code()), e);
    }

    void error(ServerResponse res, Status status, DinoException e) {
        res.status(status);
        if (res.status().code() == Status.UNAUTHORIZED_401.code()) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"dino-admin\"");
        }
        ObjectNode error = object().put("code", e.code().code()).put("name", e.code().name()).put("message", e.getMessage());
        e.details().forEach((name, value) -> {
            if (value instanceof Long number) {
                error.put(name, number);
            } else {
                error.put(name, String.valueOf(value));
            }
        });
        send(res, error);
    }

    /** The HTTP status of a Dino error (docs/admin-api.md, Errors). */
    static Status status(ErrorCode code) {
        return switch (code) {
            case NOT_AUTHENTICATED, INVALID_TOKEN, TOKEN_EXPIRED, TOKEN_REVOKED -> Status.UNAUTHORIZED_401;
            case NOT_ALLOWED -> Status.FORBIDDEN_403;
            case NOT_ONLINE, NO_SUCH_ROOM, NO_SUCH_CHANNEL, NO_SUCH_MESSAGE -> Status.NOT_FOUND_404;
            case ROOM_EXISTS, CHANNEL_EXISTS, ROOM_FULL, TOO_MANY_OWNED_ROOMS, BANNED, MUTED, NOT_IN_ROOM -> Status.CONFLICT_409;
            case FRAME_TOO_LARGE -> Status.REQUEST_ENTITY_TOO_LARGE_413;
            case RATE_LIMITED -> Status.TOO_MANY_REQUESTS_429;
            case UNAVAILABLE, SHUTTING_DOWN -> Status.SERVICE_UNAVAILABLE_503;
            case INTERNAL -> Status.INTERNAL_SERVER_ERROR_500;
            default -> Status.BAD_REQUEST_400;
        };
    }

    /** The request's body: one JSON object of at most {@value #MAX_BODY_BYTES} bytes. */
    JsonNode body(ServerRequest req) {
        return JsonBodies.objectBody(mapper, req.content().inputStream(), MAX_BODY_BYTES, "a JSON object");
    }

    /** A required string field. */
    static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull() || (value.isTextual() && value.textValue().isBlank())) {
            throw new DinoException(ErrorCode.MISSING_FIELD, "'" + field + "' is required");
        }
        if (!value.isTextual()) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "'" + field + "' must be a string");
        }
        return value.textValue().strip();
    }

    /** An optional string field; "" when absent. */
    static String optionalText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "'" + field + "' must be a string");
        }
        return value.textValue().strip();
    }

    /** An optional boolean field. */
    static boolean optionalBoolean(JsonNode body, String field, boolean absent) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.isBoolean()) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "'" + field + "' must be true or false");
        }
        return value.booleanValue();
    }

    /** A query parameter as a whole number in [min, max]; {@code absent} when not given. */
    static long queryNumber(ServerRequest req, String name, long absent, long min, long max) {
        var value = req.query().first(name);
        if (value.isEmpty() || value.get().isBlank()) {
            return absent;
        }
        try {
            long number = Long.parseLong(value.get().strip());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new DinoException(ErrorCode.INVALID_VALUE, "'" + name + "' must be a whole number from " + min + " to " + max);
    }
}
