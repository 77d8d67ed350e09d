package io.dino.client;

/**
 * An error the server returned for a command ({@code {"id":..,"error":{"code","name","message"}}}).
 *
 * <p>{@link #getMessage()} is the server's human-readable message; {@link #code()} and {@link #name()} are the
 * stable parts tests and programs should match on.
 */
public class DinoException extends RuntimeException {

    private final int code;
    private final String name;
    private final java.util.Map<String, Object> details;

    public DinoException(int code, String name, String message) {
        this(code, name, message, null);
    }

    public DinoException(int code, String name, String message, Throwable cause) {
        this(code, name, message, java.util.Map.of(), cause);
    }

    /** @param details the error object's other fields (numbers as {@link Long}, else strings), e.g. {@code until} */
    public DinoException(int code, String name, String message, java.util.Map<String, Object> details, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.name = name;
        this.details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
    }

    /**
     * The error's other fields, by name: {@code until} (BANNED, MUTED: ms since the epoch, 0 = permanent),
     * {@code retryAfterMs} (MUTED, RATE_LIMITED), {@code reason} (BANNED, when the ban gave one). Empty when none.
     */
    public java.util.Map<String, Object> details() {
        return details;
    }

    /** A numeric detail ({@link #details()}), if the error has it. */
    public java.util.OptionalLong longDetail(String field) {
        return details.get(field) instanceof Long value ? java.util.OptionalLong.of(value) : java.util.OptionalLong.empty();
    }

    /** Milliseconds to wait before the same request may succeed, when the error says (RATE_LIMITED, MUTED). */
    public java.util.OptionalLong retryAfterMs() {
        return longDetail("retryAfterMs");
    }

    /** Until when the refusal holds, in ms since the epoch (0: permanent), when the error says (BANNED, MUTED). */
    public java.util.OptionalLong until() {
        return longDetail("until");
    }

    /** Numeric error code, e.g. 4031. */
    public int code() {
        return code;
    }

    /** Symbolic error name, e.g. {@code NOT_IN_ROOM}. */
    public String name() {
        return name;
    }

    // Stack traces print toString(); without the code and name they would only show the prose message.
    @Override
    public String toString() {
        return getClass().getName() + "[" + code + " " + name + "]: " + getMessage();
    }
}
