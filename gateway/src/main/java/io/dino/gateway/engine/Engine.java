package io.dino.gateway.engine;

/**
 * The shared state a node works with, chosen by configuration: in-memory for one node, Redis for a
 * cluster. Closing the engine closes its parts.
 */
public record Engine(String name, Broker broker, PresenceStore presence, Rooms rooms, RoomAcls acls, Roles roles,
                     Directory directory, Sanctions sanctions)
        implements AutoCloseable {

    /** An engine whose joins are the plain sequence of broker and presence calls. */
    public Engine(String name, Broker broker, PresenceStore presence, RoomAcls acls, Roles roles, Directory directory,
                  Sanctions sanctions) {
        this(name, broker, presence, new SteppedRooms(broker, presence), acls, roles, directory, sanctions);
    }

    /** A single-node engine (tests) without a sanctions store of its own: bans and mutes are kept in memory. */
    public Engine(String name, Broker broker, PresenceStore presence, RoomAcls acls, Roles roles, Directory directory) {
        this(name, broker, presence, acls, roles, directory, new io.dino.gateway.engine.memory.MemorySanctions());
    }

    @Override
    public void close() {
        broker.close();
        presence.close();
    }
}
