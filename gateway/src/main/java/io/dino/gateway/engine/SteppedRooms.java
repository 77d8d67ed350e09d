package io.dino.gateway.engine;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link Rooms} as the sequence of broker and presence calls: for an engine whose calls cost no round trips.
 * Entering a room with a capacity takes the room's lock stripe around the count and the presence change, so
 * two joins cannot both take the last place (leaves only free places and need no lock).
 */
public final class SteppedRooms implements Rooms {

    private final Broker broker;
    private final PresenceStore presence;
    private final ReentrantLock[] stripes = new ReentrantLock[64];

    public SteppedRooms(Broker broker, PresenceStore presence) {
        this.broker = broker;
        this.presence = presence;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    @Override
    public Entered enter(String room, SessionRef session, boolean subscribe, Optional<Position> since, int recoveryLimit,
                         boolean hidden, int capacity, boolean announce) {
        LogId log = LogId.room(room);
        ReentrantLock stripe = stripes[Math.floorMod(room.hashCode(), stripes.length)];
        boolean first;
        stripe.lock();
        try {
            if (capacity > 0) {
                List<String> members = presence.members(room);
                if (members.size() >= capacity && !members.contains(session.user())) {
                    throw new RoomFullException(room, capacity);
                }
            }
            if (subscribe) {
                broker.subscribe(log);
            }
            try {
                first = presence.join(room, session);
            } catch (RuntimeException e) {
                if (subscribe) {
                    broker.unsubscribe(log);
                }
                throw e;
            }
        } finally {
            stripe.unlock();
        }
        if (hidden) {
            presence.setHidden(room, session.user(), true);
        }
        if (first && announce) {
            broker.announceMembership(room, session.user(), true, hidden ? Audience.OPERATORS : Audience.EVERYONE);
        }
        Optional<Recovery> recovery = since.map(position -> broker.recover(log, position, recoveryLimit));
        Position top = recovery.map(Recovery::top).orElseGet(() -> broker.top(log));
        List<String> members = presence.members(room);
        java.util.Set<String> visible = new java.util.HashSet<>(presence.visibleMembers(room));
        return new Entered(top, members, members.stream().filter(m -> !visible.contains(m))
                .collect(java.util.stream.Collectors.toUnmodifiableSet()), recovery);
    }
}
