package io.dino.client;

/**
 * How a connection ended: the WebSocket close code and reason.
 *
 * <p>When the TCP connection dropped without a Close frame (or the client aborted it), the code is
 * {@link #ABNORMAL} (1006, which RFC 6455 reserves for exactly this) and the reason describes the cause.
 */
public record CloseStatus(int code, String reason) {

    /** Close code for a connection that ended without a Close frame. */
    public static final int ABNORMAL = 1006;

    public CloseStatus {
        reason = reason == null ? "" : reason;
    }
}
