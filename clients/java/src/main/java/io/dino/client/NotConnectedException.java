package io.dino.client;

/**
 * Fails a {@link DinoSession} command made while the session has no usable connection: while it is
 * reconnecting ({@link #RECONNECTING}), before {@link DinoSession#start()} ({@link #NOT_STARTED}), or after it
 * was closed or gave up ({@link #CLOSED}). Nothing was sent; retry after the session has reconnected. Its
 * {@link #code()} is 0.
 */
public final class NotConnectedException extends DinoException {

    public static final String RECONNECTING = "RECONNECTING";
    public static final String NOT_STARTED = "NOT_STARTED";
    public static final String CLOSED = "SESSION_CLOSED";

    public NotConnectedException(String name, String message) {
        super(0, name, message);
    }

    static NotConnectedException reconnecting() {
        return new NotConnectedException(RECONNECTING, "the session is reconnecting; retry once it is connected");
    }

    static NotConnectedException closed() {
        return new NotConnectedException(CLOSED, "the session is closed");
    }
}
