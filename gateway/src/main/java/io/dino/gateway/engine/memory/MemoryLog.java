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
 * a publisher that still holds it starts a new one instead.
 */
final class MemoryLog {

    final ReentrantLock lock = new ReentrantLock();
    final String epoch;
    private final ArrayDeque<Publication> retained;
    private final int capacity;
    private long lastOffset;
    private long lastPublishMillis;
    boolean removed;

    MemoryLog(String epoch, int capacity, long createdMillis) {
        this.epoch = epoch;
        this.capacity = capacity;
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
        retained.addLast(publication);
        if (retained.size() > capacity) {
            retained.removeFirst();
        }
        while (!retained.isEmpty() && retained.getFirst().timestamp() < oldestKeptMillis) {
            retained.removeFirst();
        }
        lastOffset = publication.position().offset();
        lastPublishMillis = nowMillis;
    }

    /** Up to {@code limit} kept publications below {@code offset}, the newest of them, oldest first. */
    List<Publication> before(long offset, int limit) {
        ArrayDeque<Publication> newest = new ArrayDeque<>();
        var descending = retained.descendingIterator();
        while (descending.hasNext() && newest.size() < limit) {
            Publication publication = descending.next();
            if (publication.position().offset() < offset) {
                newest.addFirst(publication);
            }
        }
        return new ArrayList<>(newest);
    }

    /** Up to {@code limit} kept publications above {@code offset}, the oldest of them, oldest first. */
    List<Publication> after(long offset, int limit) {
        List<Publication> result = new ArrayList<>();
        for (Publication publication : retained) {
            if (publication.position().offset() > offset && result.size() < limit) {
                result.add(publication);
            }
        }
        return result;
    }
}
