package io.dino.client;

/** Told once when a connection ends, whoever ended it. */
@FunctionalInterface
public interface CloseListener {

    /**
     * @param statusCode the close code from the server's Close frame, or {@link CloseStatus#ABNORMAL} if the
     *                   connection ended without one
     * @param reason     the close reason; never null
     */
    void onClose(int statusCode, String reason);
}
