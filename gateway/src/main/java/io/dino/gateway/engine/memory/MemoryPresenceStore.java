package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.PresenceStore;
import io.dino.gateway.engine.SessionRef;
import io.dino.gateway.engine.UserPresence;
import io.dino.gateway.engine.UserStatus;

import java.time.InstantSource;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Presence of a single node. One lock for all of it: changes are rare next to messages (a join, a
 * connect) and the critical sections are a few map operations.
 */
public final class MemoryPresenceStore implements PresenceStore {

    private final InstantSource clock;
    // all guarded by this
    private final Map<String, Set<String>> sessionsByUser = new HashMap<>();
    private final Map<String, Map<String, Set<String>>> sessionsByRoomAndUser = new HashMap<>();
    /** Statuses other than ONLINE, of online users only. */
    private final Map<String, UserStatus> statusByUser = new HashMap<>();
    /** The rooms each user is in (the user-side view of sessionsByRoomAndUser, changed with it). */
    private final Map<String, Set<String>> roomsByUser = new HashMap<>();
    /** Hidden (invisible) members per room. */
    private final Map<String, Set<String>> hiddenByRoom = new HashMap<>();
    /** When each user's last session ended (one entry per user who was ever online: a few dozen bytes each). */
    private final Map<String, Long> lastOnlineByUser = new HashMap<>();

    public MemoryPresenceStore(InstantSource clock) {
        this.clock = clock;
    }

    @Override
    public synchronized boolean connect(SessionRef session) {
        Set<String> sessions = sessionsByUser.computeIfAbsent(session.user(), user -> new HashSet<>());
        return sessions.add(session.session()) && sessions.size() == 1;
    }

    @Override
    public synchronized boolean disconnect(SessionRef session) {
        boolean last = removeFrom(sessionsByUser, session);
        if (last) {
            statusByUser.remove(session.user());
            lastOnlineByUser.put(session.user(), clock.millis());
        }
        return last;
    }

    @Override
    public synchronized boolean setStatus(String user, UserStatus status) {
        if (status == UserStatus.OFFLINE) {
            throw new IllegalArgumentException("offline is not a status one sets");
        }
        if (!sessionsByUser.containsKey(user)) {
            return false;
        }
        if (status == UserStatus.ONLINE) {
            statusByUser.remove(user);
        } else {
            statusByUser.put(user, status);
        }
        return true;
    }

    @Override
    public synchronized List<UserPresence> presence(List<String> users) {
        List<UserPresence> presence = new ArrayList<>(users.size());
        for (String user : users) {
            UserStatus status = sessionsByUser.containsKey(user)
                    ? statusByUser.getOrDefault(user, UserStatus.ONLINE)
                    : UserStatus.OFFLINE;
            Long last = lastOnlineByUser.get(user);
            presence.add(new UserPresence(user, status, last == null ? OptionalLong.empty() : OptionalLong.of(last)));
        }
        return presence;
    }

    @Override
    public synchronized boolean join(String room, SessionRef session) {
        Set<String> sessions = sessionsByRoomAndUser.computeIfAbsent(room, r -> new HashMap<>())
                .computeIfAbsent(session.user(), user -> new HashSet<>());
        boolean first = sessions.add(session.session()) && sessions.size() == 1;
        if (first) {
            roomsByUser.computeIfAbsent(session.user(), user -> new HashSet<>()).add(room);
        }
        return first;
    }

    @Override
    public synchronized boolean leave(String room, SessionRef session) {
        Map<String, Set<String>> members = sessionsByRoomAndUser.get(room);
        if (members == null) {
            return false;
        }
        boolean last = removeFrom(members, session);
        if (last) {
            setHidden(room, session.user(), false);
            Set<String> userRooms = roomsByUser.get(session.user());
            userRooms.remove(room);
            if (userRooms.isEmpty()) {
                roomsByUser.remove(session.user());
            }
        }
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
    public synchronized Map<String, List<String>> membersOfRooms(Collection<String> rooms) {
        Map<String, List<String>> byRoom = new java.util.LinkedHashMap<>();
        for (String room : rooms) {
            byRoom.computeIfAbsent(room, this::members);
        }
        return byRoom;
    }

    @Override
    public synchronized Map<String, List<String>> roomsOfUsers(Collection<String> users) {
        Map<String, List<String>> byUser = new java.util.LinkedHashMap<>();
        for (String user : users) {
            byUser.computeIfAbsent(user, u -> roomsByUser.getOrDefault(u, Set.of()).stream().sorted().toList());
        }
        return byUser;
    }

    @Override
    public synchronized boolean setHidden(String room, String user, boolean hidden) {
        Map<String, Set<String>> members = sessionsByRoomAndUser.get(room);
        if (hidden && (members == null || !members.containsKey(user))) {
            return false;
        }
        Set<String> roomHidden = hiddenByRoom.get(room);
        if (hidden) {
            return hiddenByRoom.computeIfAbsent(room, r -> new HashSet<>()).add(user);
        }
        if (roomHidden == null || !roomHidden.remove(user)) {
            return false;
        }
        if (roomHidden.isEmpty()) {
            hiddenByRoom.remove(room);
        }
        return true;
    }

    @Override
    public synchronized List<String> visibleMembers(String room) {
        Set<String> roomHidden = hiddenByRoom.getOrDefault(room, Set.of());
        return members(room).stream().filter(user -> !roomHidden.contains(user)).toList();
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
