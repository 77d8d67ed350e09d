package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.Directory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The single-node engine's directory. Reads go straight to concurrent maps; every change takes one lock, so
 * the checks it makes (id free, name free in the channel, channel empty) and the writes that follow are one
 * step. Changes are rare (backend and room owners), so one lock costs nothing worth sharding.
 */
public final class MemoryDirectory implements Directory {

    /** Guards every change of the maps below (reads need no lock: each map is concurrent). */
    private final ReentrantLock changes = new ReentrantLock();
    private final Map<String, ChannelRecord> channels = new ConcurrentHashMap<>();
    private final Map<String, RoomRecord> rooms = new ConcurrentHashMap<>();
    /** Per channel: lowercased room name → room id; its values are the channel's rooms. */
    private final Map<String, Map<String, String>> names = new ConcurrentHashMap<>();
    /** Ids of the rooms of each kind (an index for {@link #roomsOfKind}). */
    private final Map<RoomKind, Set<String>> kinds = new java.util.EnumMap<>(Map.of(
            RoomKind.STATIC, ConcurrentHashMap.newKeySet(), RoomKind.EPHEMERAL, ConcurrentHashMap.newKeySet(),
            RoomKind.PRIVATE, ConcurrentHashMap.newKeySet()));

    @Override
    public Optional<ChannelRecord> channel(String id) {
        ChannelRecord channel = channels.get(id);
        if (channel == null && DEFAULT_CHANNEL.equals(id)) {
            return Optional.of(Directory.implicitDefault());
        }
        return Optional.ofNullable(channel);
    }

    @Override
    public List<ChannelRecord> channels() {
        List<ChannelRecord> all = new ArrayList<>(channels.values());
        if (!channels.containsKey(DEFAULT_CHANNEL)) {
            all.add(Directory.implicitDefault());
        }
        all.sort(CHANNEL_ORDER);
        return List.copyOf(all);
    }

    @Override
    public Outcome createChannel(ChannelRecord channel) {
        return locked(() -> channels.putIfAbsent(channel.id(), channel) == null ? Outcome.DONE : Outcome.TAKEN);
    }

    @Override
    public Outcome updateChannel(ChannelRecord channel) {
        return locked(() -> {
            if (!channels.containsKey(channel.id()) && !DEFAULT_CHANNEL.equals(channel.id())) {
                return Outcome.NOT_FOUND;
            }
            channels.put(channel.id(), channel);
            return Outcome.DONE;
        });
    }

    @Override
    public Outcome removeChannel(String id) {
        if (DEFAULT_CHANNEL.equals(id)) {
            return Outcome.TAKEN;
        }
        return locked(() -> {
            if (!channels.containsKey(id)) {
                return Outcome.NOT_FOUND;
            }
            if (!names.getOrDefault(id, Map.of()).isEmpty()) {
                return Outcome.TAKEN;
            }
            channels.remove(id);
            names.remove(id);
            return Outcome.DONE;
        });
    }

    @Override
    public Optional<RoomRecord> room(String id) {
        return Optional.ofNullable(rooms.get(id));
    }

    @Override
    public Map<String, RoomRecord> rooms(Collection<String> ids) {
        Map<String, RoomRecord> found = new LinkedHashMap<>();
        for (String id : ids) {
            RoomRecord room = rooms.get(id);
            if (room != null) {
                found.put(id, room);
            }
        }
        return found;
    }

    @Override
    public Set<String> roomsOf(String channel) {
        return Set.copyOf(names.getOrDefault(channel, Map.of()).values());
    }

    @Override
    public List<RoomRecord> roomsOfKind(RoomKind kind) {
        return List.copyOf(rooms(kinds.get(kind)).values());
    }

    @Override
    public Optional<String> roomNamed(String channel, String name) {
        return Optional.ofNullable(names.getOrDefault(channel, Map.of()).get(fold(name)));
    }

    @Override
    public Outcome createRoom(RoomRecord room) {
        return locked(() -> {
            if (!DEFAULT_CHANNEL.equals(room.channel()) && !channels.containsKey(room.channel())) {
                return Outcome.NOT_FOUND;
            }
            Map<String, String> ofChannel = names.computeIfAbsent(room.channel(), c -> new ConcurrentHashMap<>());
            if (rooms.containsKey(room.id()) || ofChannel.containsKey(fold(room.name()))) {
                return Outcome.TAKEN;
            }
            ofChannel.put(fold(room.name()), room.id());
            rooms.put(room.id(), room);
            kinds.get(room.kind()).add(room.id());
            return Outcome.DONE;
        });
    }

    @Override
    public Outcome renameRoom(String id, String name) {
        return locked(() -> {
            RoomRecord room = rooms.get(id);
            if (room == null) {
                return Outcome.NOT_FOUND;
            }
            Map<String, String> ofChannel = names.get(room.channel());
            String holder = ofChannel.get(fold(name));
            if (holder != null && !holder.equals(id)) {
                return Outcome.TAKEN;
            }
            ofChannel.remove(fold(room.name()), id);
            ofChannel.put(fold(name), id);
            rooms.put(id, new RoomRecord(id, room.channel(), name, room.kind(), room.capacity(), room.topic(),
                    room.createdAt(), room.createdBy(), room.members(), room.membershipEvents()));
            return Outcome.DONE;
        });
    }

    @Override
    public Outcome updateRoom(RoomRecord update) {
        return locked(() -> {
            RoomRecord room = rooms.get(update.id());
            if (room == null) {
                return Outcome.NOT_FOUND;
            }
            rooms.put(room.id(), Directory.updated(room, update));
            return Outcome.DONE;
        });
    }

    @Override
    public Outcome removeRoom(String id) {
        return locked(() -> {
            RoomRecord room = rooms.remove(id);
            if (room == null) {
                return Outcome.NOT_FOUND;
            }
            names.get(room.channel()).remove(fold(room.name()), id);
            kinds.get(room.kind()).remove(id);
            return Outcome.DONE;
        });
    }

    private Outcome locked(java.util.function.Supplier<Outcome> change) {
        changes.lock();
        try {
            return change.get();
        } finally {
            changes.unlock();
        }
    }

    private static String fold(String name) {
        return Directory.nameKey(name);
    }
}
