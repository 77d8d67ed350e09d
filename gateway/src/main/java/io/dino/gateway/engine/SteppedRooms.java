package io.dino.gateway.engine;

import java.util.Optional;

/** {@link Rooms} as the sequence of broker and presence calls: for an engine whose calls cost no round trips. */
public final class SteppedRooms implements Rooms {

    private final Broker broker;
    private final PresenceStore presence;

    public SteppedRooms(Broker broker, PresenceStore presence) {
        this.broker = broker;
        this.presence = presence;
    }

    @Override
    public Entered enter(String room, SessionRef session, boolean subscribe, Optional<Position> since, int recoveryLimit) {
        LogId log = LogId.room(room);
        if (subscribe) {
            broker.subscribe(log);
        }
        boolean first;
        try {
            first = presence.join(room, session);
        } catch (RuntimeException e) {
            if (subscribe) {
                broker.unsubscribe(log);
            }
            throw e;
        }
        if (first) {
            broker.announceMembership(room, session.user(), true);
        }
        Optional<Recovery> recovery = since.map(position -> broker.recover(log, position, recoveryLimit));
        Position top = recovery.map(Recovery::top).orElseGet(() -> broker.top(log));
        return new Entered(top, presence.members(room), recovery);
    }
}
