package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.Broker;
import io.dino.gateway.engine.Control;
import io.dino.gateway.engine.DeliveryListener;
import io.dino.gateway.engine.Draft;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.engine.Recovery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The broker of a single node: logs live in this process and die with it, so each start is a new
 * epoch. Delivery happens on the publishing thread while the log's lock is held, which makes the
 * listener see each log in offset order.
 */
public final class MemoryBroker implements Broker {

    private final String epoch;
    private final int retainedPerLog;
    private final IdempotencyCache idempotency;
    private final Map<LogId, MemoryLog> logs = new ConcurrentHashMap<>();
    private final Set<LogId> subscribed = ConcurrentHashMap.newKeySet();
    private volatile DeliveryListener listener;

    /**
     * @param epoch          epoch of every log of this broker
     * @param retainedPerLog how many recent publications each log keeps for history
     * @param idempotency    remembers idempotency keys for the idempotency window
     */
    public MemoryBroker(String epoch, int retainedPerLog, IdempotencyCache idempotency) {
        if (retainedPerLog < 1) {
            throw new IllegalArgumentException("retainedPerLog must be >= 1");
        }
        this.epoch = Objects.requireNonNull(epoch);
        this.retainedPerLog = retainedPerLog;
        this.idempotency = idempotency;
    }

    @Override
    public void start(DeliveryListener listener) {
        this.listener = Objects.requireNonNull(listener);
    }

    @Override
    public Publication publish(LogId log, Draft draft) {
        MemoryLog memoryLog = logs.computeIfAbsent(log, id -> new MemoryLog(retainedPerLog));
        memoryLog.lock.lock();
        try {
            if (!draft.idempotencyKey().isEmpty()) {
                Publication earlier = idempotency.get(log, draft.idempotencyKey());
                if (earlier != null) {
                    return earlier;
                }
            }
            Publication publication = draft.at(log, new Position(epoch, memoryLog.lastOffset + 1));
            memoryLog.append(publication);
            if (!draft.idempotencyKey().isEmpty()) {
                idempotency.put(log, draft.idempotencyKey(), publication);
            }
            if (subscribed.contains(log)) {
                listener.onPublication(publication);
            }
            return publication;
        } finally {
            memoryLog.lock.unlock();
        }
    }

    @Override
    public void broadcast(Publication publication) {
        listener.onBroadcast(publication);
    }

    @Override
    public void announceMembership(String room, String user, boolean joined) {
        if (subscribed.contains(LogId.room(room))) {
            listener.onMembership(room, user, joined);
        }
    }

    @Override
    public int control(LogId holders, Control command) {
        return listener.onControl(command);  // one node holds every session
    }

    @Override
    public void subscribe(LogId log) {
        subscribed.add(log);
    }

    @Override
    public void unsubscribe(LogId log) {
        subscribed.remove(log);
    }

    @Override
    public Position top(LogId log) {
        MemoryLog memoryLog = logs.get(log);
        if (memoryLog == null) {
            return Position.EMPTY;
        }
        memoryLog.lock.lock();
        try {
            return new Position(epoch, memoryLog.lastOffset);
        } finally {
            memoryLog.lock.unlock();
        }
    }

    @Override
    public List<Publication> before(LogId log, long offset, int limit) {
        MemoryLog memoryLog = logs.get(log);
        if (memoryLog == null || limit <= 0) {
            return List.of();
        }
        memoryLog.lock.lock();
        try {
            ArrayDeque<Publication> newest = new ArrayDeque<>();
            var descending = memoryLog.retained.descendingIterator();
            while (descending.hasNext() && newest.size() < limit) {
                Publication publication = descending.next();
                if (publication.position().offset() < offset) {
                    newest.addFirst(publication);
                }
            }
            return new ArrayList<>(newest);
        } finally {
            memoryLog.lock.unlock();
        }
    }

    @Override
    public List<Publication> after(LogId log, long offset, int limit) {
        MemoryLog memoryLog = logs.get(log);
        if (memoryLog == null || limit <= 0) {
            return List.of();
        }
        memoryLog.lock.lock();
        try {
            List<Publication> result = new ArrayList<>();
            for (Publication publication : memoryLog.retained) {
                if (publication.position().offset() > offset && result.size() < limit) {
                    result.add(publication);
                }
            }
            return result;
        } finally {
            memoryLog.lock.unlock();
        }
    }

    @Override
    public Recovery recover(LogId log, Position since, int limit) {
        MemoryLog memoryLog = logs.get(log);
        if (memoryLog == null) {
            boolean sawItEmpty = since.equals(Position.EMPTY);
            return sawItEmpty ? new Recovery(true, List.of(), Position.EMPTY) : Recovery.notRecovered(Position.EMPTY);
        }
        memoryLog.lock.lock();
        try {
            Position top = new Position(epoch, memoryLog.lastOffset);
            Position from = since.within(top);
            long missing = memoryLog.lastOffset - from.offset();
            if (!from.epoch().equals(epoch) || missing < 0 || missing > limit) {
                return Recovery.notRecovered(top);
            }
            List<Publication> missed = new ArrayList<>((int) missing);
            for (Publication publication : memoryLog.retained) {
                if (publication.position().offset() > from.offset()) {
                    missed.add(publication);
                }
            }
            if (missed.size() != missing) {
                return Recovery.notRecovered(top);
            }
            return new Recovery(true, missed, top);
        } finally {
            memoryLog.lock.unlock();
        }
    }

    @Override
    public void close() {
        subscribed.clear();
    }

    /** How many logs this broker holds: reads must not add any, expiry removes them. */
    int logCount() {
        return logs.size();
    }

    /** One log: the last offset and a bounded tail. Guarded by {@code lock}. */
    private static final class MemoryLog {
        private final ReentrantLock lock = new ReentrantLock();
        private final ArrayDeque<Publication> retained;
        private final int capacity;
        private long lastOffset;

        private MemoryLog(int capacity) {
            this.capacity = capacity;
            this.retained = new ArrayDeque<>(Math.min(capacity, 16));
        }

        private void append(Publication publication) {
            if (retained.size() == capacity) {
                retained.removeFirst();
            }
            retained.addLast(publication);
            lastOffset = publication.position().offset();
        }
    }
}
