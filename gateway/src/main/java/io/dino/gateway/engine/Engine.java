package io.dino.gateway.engine;

/**
 * The shared state a node works with, chosen by configuration: in-memory for one node, Redis for a
 * cluster. Closing the engine closes its parts.
 */
public record Engine(String name, Broker broker, PresenceStore presence) implements AutoCloseable {

    @Override
    public void close() {
        broker.close();
        presence.close();
    }
}
