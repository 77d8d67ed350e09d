package io.dino.gateway.engine;

import java.util.List;
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
    public Entered enter(String room, SessionRef session, boolean subscribe, Optional<Position> since, int recoveryLimit,
                         boolean hidden) {
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
        if (hidden) {
            presence.setHidden(room, session.user(), true);
        }
        if (first) {
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
