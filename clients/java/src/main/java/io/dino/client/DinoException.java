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

    public DinoException(int code, String name, String message) {
        this(code, name, message, null);
    }

    public DinoException(int code, String name, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.name = name;
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
