package io.dino.gateway.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A typed error from a core operation. The edges translate it: a JSON error reply on WebSockets,
 * a gRPC status on the backend API. {@link #details()} are extra fields of the error (numbers or strings, such as
 * {@code retryAfterMs} or {@code until}) that a client can act on without parsing the message; the WebSocket error
 * object carries them beside {@code code}, {@code name} and {@code message}, gRPC as {@code dino-<name>} trailers.
 */
public final class DinoException extends RuntimeException {

    private final ErrorCode code;
    private final Map<String, Object> details;

    public DinoException(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    public DinoException(ErrorCode code) {
        this(code, code.defaultMessage());
    }

    /** @param details field name → a {@link Long} or a {@link String}, in the order the reply lists them */
    public DinoException(ErrorCode code, String message, Map<String, ?> details) {
        super(message, null, false, false);
        this.code = code;
        for (Object value : details.values()) {
            if (!(value instanceof Long) && !(value instanceof String)) {
                throw new IllegalArgumentException("error details are longs or strings, not " + value);
            }
        }
        this.details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }
}
