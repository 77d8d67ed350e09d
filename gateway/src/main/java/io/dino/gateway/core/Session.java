package io.dino.gateway.core;

import io.dino.gateway.auth.Principal;
import io.dino.gateway.engine.SessionRef;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An authenticated connection as the core sees it. Room membership changes come from the session's
 * own command thread; the set is concurrent because close and fan-out read it from other threads.
 */
public final class Session {

    private final SessionRef ref;
    private final Principal principal;
    private final Outbound outbound;
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();

    Session(SessionRef ref, Principal principal, Outbound outbound) {
        this.ref = ref;
        this.principal = principal;
        this.outbound = outbound;
    }

    public String id() {
        return ref.session();
    }

    public String user() {
        return ref.user();
    }

    public Principal principal() {
        return principal;
    }

    public SessionRef ref() {
        return ref;
    }

    Outbound outbound() {
        return outbound;
    }

    Set<String> rooms() {
        return rooms;
    }

    public boolean isIn(String room) {
        return rooms.contains(room);
    }

    public int roomCount() {
        return rooms.size();
    }
}
