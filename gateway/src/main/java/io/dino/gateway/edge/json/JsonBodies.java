package io.dino.gateway.edge.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.dino.gateway.core.DinoException;
import io.dino.gateway.core.ErrorCode;

import java.io.IOException;
import java.io.InputStream;

/**
 * Message bodies as both edges accept them: any JSON value except null, a blank string, or an empty
 * object or array (those are "empty messages"). Numbers keep the sender's text (see {@link ExactNumbers}).
 */
public final class JsonBodies {

    private final ObjectMapper mapper;

    public JsonBodies(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Checks a parsed body and returns its JSON text. */
    public String toJson(JsonNode body) {
        if (body == null || body.isMissingNode()) {
            throw new DinoException(ErrorCode.MISSING_FIELD, "'body' is required");
        }
        if (body.isNull() || (body.isTextual() && body.asText().isBlank()) || (body.isContainerNode() && body.isEmpty())) {
            throw new DinoException(ErrorCode.EMPTY_MESSAGE, "body must not be empty");
        }
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "body is not serializable");
        }
    }

    /** Checks a body given as JSON text (the backend API) and returns it in compact form. */
    public String fromJsonText(String bodyJson) {
        if (bodyJson == null || bodyJson.isBlank()) {
            throw new DinoException(ErrorCode.MISSING_FIELD, "body_json is required");
        }
        JsonNode parsed;
        try {
            parsed = mapper.readTree(bodyJson);
        } catch (JsonProcessingException e) {
            throw new DinoException(ErrorCode.INVALID_VALUE, problem("body_json", e));
        }
        return toJson(parsed);
    }

    /**
     * An HTTP request's body that must be one JSON object of at most {@code maxBytes} bytes; refused with
     * FRAME_TOO_LARGE or MALFORMED_FRAME ("the request body must be {@code expected}") otherwise.
     */
    public static JsonNode objectBody(ObjectMapper mapper, InputStream in, int maxBytes, String expected) {
        byte[] body;
        try (in) {
            body = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw new DinoException(ErrorCode.MALFORMED_FRAME, "the request body could not be read");
        }
        if (body.length > maxBytes) {
            throw new DinoException(ErrorCode.FRAME_TOO_LARGE, "the request body is larger than " + maxBytes + " bytes");
        }
        JsonNode request;
        try {
            request = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new DinoException(ErrorCode.MALFORMED_FRAME, problem("the request body", e));
        } catch (IOException e) {
            throw new DinoException(ErrorCode.MALFORMED_FRAME, "the request body is not JSON");
        }
        if (request == null || !request.isObject()) {
            throw new DinoException(ErrorCode.MALFORMED_FRAME, "the request body must be " + expected);
        }
        return request;
    }

    /**
     * Why {@code what} could not be read as one JSON value, in our words (Jackson's messages name its
     * classes and settings).
     */
    public static String problem(String what, JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            return what + " exceeds a JSON limit (numbers of at most 1000 characters, nesting at most 1000 deep)";
        }
        // with FAIL_ON_TRAILING_TOKENS (ExactNumbers.configure), the only mismatch readTree reports
        if (e instanceof MismatchedInputException) {
            return what + " must hold exactly one JSON value, but more follows it";
        }
        return what + " is not valid JSON (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
