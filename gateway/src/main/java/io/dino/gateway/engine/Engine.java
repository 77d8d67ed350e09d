package io.dino.gateway.engine;

/**
 * The shared state a node works with, chosen by configuration: in-memory for one node, Redis for a
 * cluster. Closing the engine closes its parts.
 */
public record Engine(String name, Broker broker, PresenceStore presence, Rooms rooms, RoomAcls acls, Roles roles,
                     Directory directory, Receipts receipts, Tombstones tombstones, Blacklist blacklist, EventLog events,
                     Sanctions sanctions, Revocations revocations, Nodes nodes)
        implements AutoCloseable {

    /** An engine whose joins are the plain sequence of broker and presence calls. */
    public Engine(String name, Broker broker, PresenceStore presence, RoomAcls acls, Roles roles, Directory directory,
                  Receipts receipts, Tombstones tombstones, Blacklist blacklist, EventLog events, Sanctions sanctions,
                  Revocations revocations, Nodes nodes) {
        this(name, broker, presence, new SteppedRooms(broker, presence), acls, roles, directory, receipts, tombstones, blacklist,
                events, sanctions, revocations, nodes);
    }

    @Override
    public void close() {
        events.close();  // first: it writes what is queued while the engine's connections are still open
        broker.close();
        presence.close();
    }
}
