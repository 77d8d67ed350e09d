package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.RoomAcls;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.ConcurrentHashMap;

/** The single-node engine's room rules: an immutable map per room, replaced whole. */
public final class MemoryRoomAcls implements RoomAcls {

    private final Map<String, Map<String, String>> rules = new ConcurrentHashMap<>();

    @Override
    public Map<String, String> get(String room) {
        return rules.getOrDefault(room, Map.of());
    }

    @Override
    public void set(String room, Map<String, String> roomRules) {
        if (roomRules.isEmpty()) {
            rules.remove(room);
        } else {
            rules.put(room, Map.copyOf(roomRules));
        }
    }

    /** Derived from the map itself: a scan of the rooms with rules (few on one node), nothing to keep in step. */
    @Override
    public Set<String> roomsWithRule(String action) {
        return rules.entrySet().stream().filter(entry -> entry.getValue().containsKey(action))
                .map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
    }
}
