package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.Broker;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Tombstones;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Tombstones of one node: an immutable {@link Deletions} per room, replaced whole under a lock by each write (writes
 * are rare: moderation), read without one. Each write first drops what covers nothing the room's log still holds
 * (another epoch, below its oldest offset), read from the broker; a room whose log expired keeps its (stale,
 * harmless) tombstones until its next write.
 */
public final class MemoryTombstones implements Tombstones {

    private final Broker broker;
    private final Map<String, Deletions> rooms = new ConcurrentHashMap<>();
    // guards every write (read, change, replace of a room's Deletions)
    private final ReentrantLock writes = new ReentrantLock();

    public MemoryTombstones(Broker broker) {
        this.broker = broker;
    }

    @Override
    public Supplier<Deletions> read(String room) {
        Deletions deletions = rooms.getOrDefault(room, Deletions.NONE);
        return () -> deletions;
    }

    @Override
    public void deleteMessages(String room, Collection<Mark> marks) {
        change(room, current -> {
            Map<String, Mark> messages = new HashMap<>(current.messages());
            marks.forEach(mark -> messages.put(mark.id(), mark));
            return new Deletions(messages, current.users(), current.all());
        });
    }

    @Override
    public void deleteUserUpTo(String room, String user, Position upTo) {
        change(room, current -> {
            Map<String, Position> users = new HashMap<>(current.users());
            users.put(user, higher(users.get(user), upTo));
            return new Deletions(current.messages(), users, current.all());
        });
    }

    @Override
    public void deleteAllUpTo(String room, Position upTo) {
        change(room, current -> new Deletions(current.messages(), current.users(), higher(current.all(), upTo)));
    }

    @Override
    public List<String> restoreMessages(String room, Collection<String> ids) {
        List<String> restored = new ArrayList<>();
        change(room, current -> {
            Map<String, Mark> messages = new HashMap<>(current.messages());
            ids.stream().distinct().filter(id -> messages.remove(id) != null).forEach(restored::add);
            return new Deletions(messages, current.users(), current.all());
        });
        return restored;
    }

    @Override
    public boolean restoreUser(String room, String user) {
        boolean[] changed = new boolean[1];
        change(room, current -> {
            Map<String, Mark> messages = new HashMap<>(current.messages());
            Map<String, Position> users = new HashMap<>(current.users());
            changed[0] = messages.values().removeIf(mark -> mark.sender().equals(user)) | users.remove(user) != null;
            return new Deletions(messages, users, current.all());
        });
        return changed[0];
    }

    @Override
    public boolean restoreAll(String room) {
        writes.lock();
        try {
            Deletions removed = rooms.remove(room);
            return removed != null && !removed.isEmpty();
        } finally {
            writes.unlock();
        }
    }

    private void change(String room, java.util.function.UnaryOperator<Deletions> change) {
        writes.lock();
        try {
            Deletions changed = change.apply(pruned(room, rooms.getOrDefault(room, Deletions.NONE)));
            if (changed.isEmpty()) {
                rooms.remove(room);
            } else {
                rooms.put(room, changed);
            }
        } finally {
            writes.unlock();
        }
    }

    /** Without what covers nothing the log still holds. */
    private Deletions pruned(String room, Deletions deletions) {
        if (deletions.isEmpty()) {
            return deletions;
        }
        LogId log = LogId.room(room);
        Broker.Page oldest = broker.pageAfter(log, 0, 1);
        String epoch = oldest.top().epoch();
        long first = oldest.messages().isEmpty() ? Long.MAX_VALUE : oldest.messages().getFirst().position().offset();
        Map<String, Mark> messages = new HashMap<>(deletions.messages());
        messages.values().removeIf(mark -> !holds(epoch, first, mark.position()));
        Map<String, Position> users = new HashMap<>(deletions.users());
        users.values().removeIf(cutoff -> !holds(epoch, first, cutoff));
        Position all = holds(epoch, first, deletions.all()) ? deletions.all() : Position.EMPTY;
        return new Deletions(messages, users, all);
    }

    private static boolean holds(String epoch, long first, Position position) {
        return position.epoch().equals(epoch) && position.offset() >= first;
    }

    private static Position higher(Position current, Position upTo) {
        return current != null && current.epoch().equals(upTo.epoch()) && current.offset() >= upTo.offset() ? current : upTo;
    }
}
