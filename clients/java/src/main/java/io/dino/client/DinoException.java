package io.dino.client;

import java.util.OptionalLong;

/**
 * An error the server returned for a command ({@code {"id":..,"error":{"code","name","message"}}}).
 *
 * <p>{@link #getMessage()} is the server's human-readable message; {@link #code()} and {@link #name()} are the
 * stable parts tests and programs should match on.
 */
public class DinoException extends RuntimeException {

    private final int code;
    private final String name;
    private final OptionalLong retryAfterMs;
    private final OptionalLong until;

    public DinoException(int code, String name, String message) {
        this(code, name, message, null);
    }

    public DinoException(int code, String name, String message, Throwable cause) {
        this(code, name, message, OptionalLong.empty(), OptionalLong.empty(), cause);
    }

    /** An error with the extra fields some errors carry ({@code retryAfterMs}, {@code until}; docs/protocol.md). */
    public DinoException(int code, String name, String message, OptionalLong retryAfterMs, OptionalLong until, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.name = name;
        this.retryAfterMs = retryAfterMs;
        this.until = until;
    }

    /** Numeric error code, e.g. 4031. */
    public int code() {
        return code;
    }

    /** Symbolic error name, e.g. {@code NOT_IN_ROOM}. */
    public String name() {
        return name;
    }

    /**
     * How long to wait before the same request may succeed, when the error says (RATE_LIMITED always does);
     * retrying sooner is refused again.
     */
    public OptionalLong retryAfterMs() {
        return retryAfterMs;
    }

    /** When the state that refused the request ends (epoch milliseconds), when the error says. */
    public OptionalLong until() {
        return until;
    }

    // Stack traces print toString(); without the code and name they would only show the prose message.
    @Override
    public String toString() {
        return getClass().getName() + "[" + code + " " + name + "]: " + getMessage();
    }
}
