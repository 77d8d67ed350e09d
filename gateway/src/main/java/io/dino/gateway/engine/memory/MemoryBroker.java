package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.Audience;
import io.dino.gateway.engine.Broker;
import io.dino.gateway.engine.Control;
import io.dino.gateway.engine.DeliveryListener;
import io.dino.gateway.engine.Draft;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.engine.Recovery;
import io.dino.gateway.engine.Retention;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The broker of a single node: logs live in this process and die with it. Each log gets its epoch when
 * its first publication creates it: the node's start epoch and a counter, so a restart, and a log that
 * expired and started again, both show a new epoch. Delivery happens on the publishing thread while the
 * log's lock is held, which makes the listener see each log in offset order.
 *
 * <p>Retention is the redis engine's: publications older than max-age leave a log as it receives new
 * ones, and a log idle for {@link Retention#idleLifetime} is removed as a whole: at once when it is next
 * used, and otherwise by a sweep that publishers run at most once a minute.
 *
 * <p>On top of that, all logs together keep at most the memory budget ({@link MemoryBudget}): beyond it
 * the oldest publications go first, whichever log they are in. History then answers from what is kept,
 * and a recovery whose gap was evicted answers recovered: false, as when count or age retention dropped it.
 */
public final class MemoryBroker implements Broker {

    private static final long MAX_SWEEP_INTERVAL_MILLIS = Duration.ofMinutes(1).toMillis();

    private final String epochPrefix;
    private final int retainedPerLog;
    private final long maxAgeMillis;
    private final long lifetimeMillis;
    private final MemoryBudget budget;
    private final IdempotencyCache idempotency;
    private final InstantSource clock;
    private final Map<LogId, MemoryLog> logs = new ConcurrentHashMap<>();
    private final Set<LogId> subscribed = ConcurrentHashMap.newKeySet();
    private final AtomicLong incarnations = new AtomicLong();
    private final AtomicLong nextSweepMillis;
    private volatile DeliveryListener listener;

    /**
     * @param epoch          this start's epoch; each log's epoch begins with it
     * @param retainedPerLog how many recent publications each log keeps for history
     * @param maxAge         publications older than this leave the logs; zero keeps them (and every log)
     * @param budgetBytes    what all logs together may keep (see {@link MemoryBudget}); the oldest go beyond it
     * @param idempotency    remembers idempotency keys for the idempotency window
     * @param clock          judges ages and idleness
     */
    public MemoryBroker(String epoch, int retainedPerLog, Duration maxAge, long budgetBytes, IdempotencyCache idempotency,
                        InstantSource clock) {
        if (retainedPerLog < 1) {
            throw new IllegalArgumentException("retainedPerLog must be >= 1");
        }
        this.epochPrefix = Objects.requireNonNull(epoch);
        this.retainedPerLog = retainedPerLog;
        this.maxAgeMillis = maxAge.toMillis();
        this.lifetimeMillis = Retention.idleLifetime(maxAge).toMillis();
        this.budget = new MemoryBudget(budgetBytes);
        this.idempotency = idempotency;
        this.clock = clock;
        this.nextSweepMillis = new AtomicLong(clock.millis() + sweepIntervalMillis());
    }

    @Override
    public void start(DeliveryListener listener) {
        this.listener = Objects.requireNonNull(listener);
    }

    @Override
    public Publication publish(LogId log, Draft draft) {
        long now = clock.millis();
        sweepIfDue(now);
        try {
            return append(log, draft, now);
        } finally {
            budget.enforce();  // after the log's lock is released: eviction takes other logs' locks
        }
    }

    private Publication append(LogId log, Draft draft, long now) {
        while (true) {
            MemoryLog memoryLog = logs.computeIfAbsent(log, id -> new MemoryLog(nextEpoch(), retainedPerLog, budget, now));
            memoryLog.lock.lock();
            try {
                if (memoryLog.removed || expireIfIdle(log, memoryLog, now)) {
                    continue;  // that incarnation is gone: the next one starts a new epoch
                }
                if (!draft.idempotencyKey().isEmpty()) {
                    Publication earlier = idempotency.get(log, draft.idempotencyKey());
                    if (earlier != null) {
                        removeIfEmpty(log, memoryLog);
                        return earlier;
                    }
                }
                Publication publication = draft.at(log, new Position(memoryLog.epoch, memoryLog.top().offset() + 1));
                memoryLog.append(publication, now, maxAgeMillis == 0 ? Long.MIN_VALUE : now - maxAgeMillis);
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
    }

    @Override
    public void broadcast(Publication publication) {
        listener.onBroadcast(publication);
    }

    @Override
    public void announceMembership(String room, String user, boolean joined, Audience audience) {
        if (subscribed.contains(LogId.room(room))) {
            listener.onMembership(room, user, joined, audience);
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
        return read(log, memoryLog -> memoryLog == null ? Position.EMPTY : memoryLog.top());
    }

    @Override
    public Page pageBefore(LogId log, long offset, int limit) {
        return read(log, memoryLog -> memoryLog == null ? new Page(Position.EMPTY, List.of())
                : new Page(memoryLog.top(), limit <= 0 ? List.of() : memoryLog.before(offset, limit)));
    }

    @Override
    public Page pageAfter(LogId log, long offset, int limit) {
        return read(log, memoryLog -> memoryLog == null ? new Page(Position.EMPTY, List.of())
                : new Page(memoryLog.top(), limit <= 0 ? List.of() : memoryLog.after(offset, limit)));
    }

    @Override
    public Recovery recover(LogId log, Position since, int limit) {
        return read(log, memoryLog -> recover(memoryLog, since, limit));
    }

    @Override
    public void close() {
        subscribed.clear();
    }

    /** How many logs this broker holds: reads must not add any, expiry removes them. */
    int logCount() {
        return logs.size();
    }

    /** Recovery from one incarnation of a log (its lock held), or from a log that has none ({@code null}). */
    private static Recovery recover(MemoryLog memoryLog, Position since, int limit) {
        Position top = memoryLog == null ? Position.EMPTY : memoryLog.top();
        Position from = since.within(top);
        long missing = top.offset() - from.offset();
        if (!from.epoch().equals(top.epoch()) || missing < 0 || missing > limit) {
            return Recovery.notRecovered(top);
        }
        List<Publication> missed = memoryLog == null ? List.of() : memoryLog.after(from.offset(), limit);
        if (missed.size() != missing) {
            return Recovery.notRecovered(top);
        }
        return new Recovery(true, missed, top);
    }

    /** Applies {@code reader} to the log's live incarnation under its lock, or to {@code null} when it has none. */
    private <T> T read(LogId log, Function<MemoryLog, T> reader) {
        MemoryLog memoryLog = logs.get(log);
        if (memoryLog == null) {
            return reader.apply(null);
        }
        memoryLog.lock.lock();
        try {
            boolean gone = memoryLog.removed || expireIfIdle(log, memoryLog, clock.millis());
            return reader.apply(gone ? null : memoryLog);
        } finally {
            memoryLog.lock.unlock();
        }
    }

    /** Removes the incarnation if it was idle past its lifetime; the caller holds its lock. */
    private boolean expireIfIdle(LogId log, MemoryLog memoryLog, long now) {
        if (!memoryLog.idleLongerThan(lifetimeMillis, now)) {
            return false;
        }
        remove(log, memoryLog);
        return true;
    }

    /** A retried publish that created an incarnation without appending must not leave it: a log exists with publications only. */
    private void removeIfEmpty(LogId log, MemoryLog memoryLog) {
        if (memoryLog.isEmpty()) {
            remove(log, memoryLog);
        }
    }

    private void remove(LogId log, MemoryLog memoryLog) {
        memoryLog.removed = true;
        memoryLog.clear();
        logs.remove(log, memoryLog);
    }

    /** Finds the idle logs nobody uses any more; one publisher at a time runs it, skipping logs in use. */
    private void sweepIfDue(long now) {
        long due = nextSweepMillis.get();
        if (lifetimeMillis == 0 || now < due || !nextSweepMillis.compareAndSet(due, now + sweepIntervalMillis())) {
            return;
        }
        logs.forEach((log, memoryLog) -> {
            if (memoryLog.lock.tryLock()) {
                try {
                    expireIfIdle(log, memoryLog, now);
                } finally {
                    memoryLog.lock.unlock();
                }
            }
        });
    }

    /** A log outlives its lifetime by at most this much when nobody touches it. */
    private long sweepIntervalMillis() {
        return lifetimeMillis == 0 ? MAX_SWEEP_INTERVAL_MILLIS : Math.min(lifetimeMillis, MAX_SWEEP_INTERVAL_MILLIS);
    }

    private String nextEpoch() {
        return epochPrefix + "." + Long.toString(incarnations.incrementAndGet(), 36);
    }
}
