package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.PresenceStore;
import io.dino.gateway.engine.SessionRef;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Presence of a single node. One lock for all of it: changes are rare next to messages (a join, a
 * connect) and the critical sections are a few map operations.
 */
public final class MemoryPresenceStore implements PresenceStore {

    // all guarded by this
    private final Map<String, Set<String>> sessionsByUser = new HashMap<>();
    private final Map<String, Map<String, Set<String>>> sessionsByRoomAndUser = new HashMap<>();

    @Override
    public synchronized boolean connect(SessionRef session) {
        Set<String> sessions = sessionsByUser.computeIfAbsent(session.user(), user -> new HashSet<>());
        return sessions.add(session.session()) && sessions.size() == 1;
    }

    @Override
    public synchronized boolean disconnect(SessionRef session) {
        return removeFrom(sessionsByUser, session);
    }

    @Override
    public synchronized boolean join(String room, SessionRef session) {
        Set<String> sessions = sessionsByRoomAndUser.computeIfAbsent(room, r -> new HashMap<>())
                .computeIfAbsent(session.user(), user -> new HashSet<>());
        return sessions.add(session.session()) && sessions.size() == 1;
    }

    @Override
    public synchronized boolean leave(String room, SessionRef session) {
        Map<String, Set<String>> members = sessionsByRoomAndUser.get(room);
        if (members == null) {
            return false;
        }
        boolean last = removeFrom(members, session);
        if (members.isEmpty()) {
            sessionsByRoomAndUser.remove(room);
        }
        return last;
    }

    @Override
    public synchronized List<String> members(String room) {
        Map<String, Set<String>> members = sessionsByRoomAndUser.get(room);
        return members == null ? List.of() : members.keySet().stream().sorted().toList();
    }

    @Override
    public synchronized List<String> onlineUsers() {
        return sessionsByUser.keySet().stream().sorted().toList();
    }

    @Override
    public synchronized List<String> online(Collection<String> users) {
        List<String> online = new ArrayList<>();
        for (String user : users) {
            if (sessionsByUser.containsKey(user)) {
                online.add(user);
            }
        }
        return online;
    }

    @Override
    public void close() {
    }

    private static boolean removeFrom(Map<String, Set<String>> sessionsByUser, SessionRef session) {
        Set<String> sessions = sessionsByUser.get(session.user());
        if (sessions == null || !sessions.remove(session.session())) {
            return false;
        }
        if (sessions.isEmpty()) {
            sessionsByUser.remove(session.user());
            return true;
        }
        return false;
    }
}
