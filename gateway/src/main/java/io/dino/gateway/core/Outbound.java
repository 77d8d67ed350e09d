package io.dino.gateway.core;

/**
 * The edge's side of a session: where the hub puts frames. Implementations queue and return at once;
 * they never block the caller (the engine's delivery thread).
 */
public interface Outbound {

    /** Queues a frame; a session whose queue is full is disconnected as a slow consumer. */
    void send(String frame);

    /** Sends the disconnect event (already encoded) if possible, then closes the connection. */
    void disconnect(Event.Disconnect disconnect, String encodedEvent);

    /**
     * The connection's TCP peer as {@code address:port}, "" when unknown; for operators (the admin console). Behind
     * a proxy it is the proxy's.
     */
    default String peer() {
        return "";
    }
}
