package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Publication;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One incarnation of a log: its epoch, last offset and a bounded tail. Everything is guarded by
 * {@code lock}. Once expiry has removed an incarnation from its broker it is {@code removed} for good;
 * a publisher that still holds it starts a new one instead. The tail counts in the broker's
 * {@link MemoryBudget}, which may evict its oldest publications.
 */
final class MemoryLog {

    final ReentrantLock lock = new ReentrantLock();
    final String epoch;
    private final ArrayDeque<MemoryBudget.Entry> retained;
    private final int capacity;
    private final MemoryBudget budget;
    private long lastOffset;
    private long lastPublishMillis;
    boolean removed;

    MemoryLog(String epoch, int capacity, MemoryBudget budget, long createdMillis) {
        this.epoch = epoch;
        this.capacity = capacity;
        this.budget = budget;
        this.retained = new ArrayDeque<>(Math.min(capacity, 16));
        this.lastPublishMillis = createdMillis;
    }

    Position top() {
        return new Position(epoch, lastOffset);
    }

    boolean isEmpty() {
        return lastOffset == 0;
    }

    /** Whether nothing was published for longer than {@code lifetimeMillis} (0: logs live forever). */
    boolean idleLongerThan(long lifetimeMillis, long nowMillis) {
        return lifetimeMillis > 0 && nowMillis - lastPublishMillis > lifetimeMillis;
    }

    /** Appends, then drops what is beyond the capacity or stamped before {@code oldestKeptMillis}. */
    void append(Publication publication, long nowMillis, long oldestKeptMillis) {
        retained.addLast(budget.keep(this, publication));
        if (retained.size() > capacity) {
            budget.dropped(retained.removeFirst());
        }
        while (!retained.isEmpty() && retained.getFirst().publication.timestamp() < oldestKeptMillis) {
            budget.dropped(retained.removeFirst());
        }
        lastOffset = publication.position().offset();
        lastPublishMillis = nowMillis;
    }

    /**
     * Drops the entry's publication, if still kept, and every older one: the budget polls entries oldest
     * first, so the older ones of this log were polled too (by another thread that has not got here yet).
     */
    void evictThrough(MemoryBudget.Entry entry) {
        if (entry.publication == null) {
            return;
        }
        MemoryBudget.Entry first;
        do {
            first = retained.removeFirst();
            budget.dropped(first);
        } while (first != entry);
    }

    /** Drops everything kept: the log is being removed. */
    void clear() {
        while (!retained.isEmpty()) {
            budget.dropped(retained.removeFirst());
        }
    }

    /** Up to {@code limit} kept publications below {@code offset}, the newest of them, oldest first. */
    List<Publication> before(long offset, int limit) {
        ArrayDeque<Publication> newest = new ArrayDeque<>();
        var descending = retained.descendingIterator();
        while (descending.hasNext() && newest.size() < limit) {
            Publication publication = descending.next().publication;
            if (publication.position().offset() < offset) {
                newest.addFirst(publication);
            }
        }
        return new ArrayList<>(newest);
    }

    /** Up to {@code limit} kept publications above {@code offset}, the oldest of them, oldest first. */
    List<Publication> after(long offset, int limit) {
        List<Publication> result = new ArrayList<>();
        for (MemoryBudget.Entry entry : retained) {
            if (entry.publication.position().offset() > offset && result.size() < limit) {
                result.add(entry.publication);
            }
        }
        return result;
    }
}
