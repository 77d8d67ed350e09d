package io.dino.gateway.engine.memory;

import io.dino.gateway.core.Utf8;
import io.dino.gateway.engine.Publication;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory all logs of a broker may keep, shared by them: count and age retention bound each log, but
 * not how many logs there are (a private message to a made-up user makes one). Every kept publication
 * costs its body's UTF-8 bytes (never fewer than the body's bytes in the heap) plus {@link #MESSAGE_BYTES}
 * for its fields; over the budget, the oldest kept publications, whichever log they are in, are evicted.
 *
 * <p>Publications enter {@code order} in publish order, each log's in its offset order (they are added under
 * the log's lock). A publication its log already dropped (count or age, or the log expired) leaves its entry
 * behind until it reaches the head; such an entry still costs {@link #ENTRY_BYTES}, so stale entries stay
 * bounded by the budget too. Each entry is added and polled once: O(1) per publish, amortized.
 */
final class MemoryBudget {

    /** What a kept publication costs besides its body: the record, its id, sender and position, the entry. */
    static final int MESSAGE_BYTES = 256;
    /** What an entry costs once its publication is gone: the entry and its queue node. */
    static final int ENTRY_BYTES = 64;

    /** A kept publication; {@code publication} becomes null when its log drops it (guarded by the log's lock). */
    static final class Entry {
        final MemoryLog log;
        /** What dropping the publication frees: its body and fields; the entry's own bytes go when it is polled. */
        final long publicationBytes;
        Publication publication;

        private Entry(MemoryLog log, Publication publication) {
            this.log = log;
            this.publication = publication;
            this.publicationBytes = Utf8.length(publication.bodyJson()) + (long) (MESSAGE_BYTES - ENTRY_BYTES);
        }
    }

    private final long limitBytes;
    private final AtomicLong usedBytes = new AtomicLong();
    private final ConcurrentLinkedQueue<Entry> order = new ConcurrentLinkedQueue<>();

    MemoryBudget(long limitBytes) {
        if (limitBytes < 1) {
            throw new IllegalArgumentException("the memory budget must be >= 1 byte");
        }
        this.limitBytes = limitBytes;
    }

    /** Counts a publication its log now keeps; the caller holds that log's lock. */
    Entry keep(MemoryLog log, Publication publication) {
        Entry entry = new Entry(log, publication);
        usedBytes.addAndGet(entry.publicationBytes + ENTRY_BYTES);
        order.add(entry);
        return entry;
    }

    /** Its log dropped the entry's publication; the caller holds that log's lock. */
    void dropped(Entry entry) {
        entry.publication = null;
        usedBytes.addAndGet(-entry.publicationBytes);
    }

    /** Evicts the oldest publications until the budget holds. The caller holds no log's lock (it takes them one at a time). */
    void enforce() {
        while (usedBytes.get() > limitBytes) {
            Entry oldest = order.poll();
            if (oldest == null) {
                return;
            }
            oldest.log.lock.lock();
            try {
                oldest.log.evictThrough(oldest);
            } finally {
                oldest.log.lock.unlock();
            }
            usedBytes.addAndGet(-ENTRY_BYTES);
        }
    }
}
