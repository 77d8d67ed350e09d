package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.EventLog;
import io.dino.gateway.events.DomainEvent;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The event log of a one-node cluster: the newest {@code maxLength} events in memory (and no more than
 * {@code maxBytes} of their text: message events carry their bodies), at positions 1, 2, 3…
 * (decimal strings; {@link EventLog#ORIGIN} "0" is before the first). Appending takes a lock for an
 * {@code ArrayDeque} add and a signal: cheap enough to do on the caller's thread. There are no consumer groups;
 * the log is lost with the node.
 */
public final class MemoryEventLog implements EventLog {

    /** What an entry costs beyond its strings' characters (object headers, the map, the entry), roughly. */
    private static final long ENTRY_OVERHEAD = 256;

    private final int maxLength;
    private final long maxBytes;
    private long bytes;  // guarded by lock; the estimated size of the entries kept
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();  // guarded by lock
    private long lastSequence;  // guarded by lock; the position of the newest entry
    private boolean closed;  // guarded by lock

    public MemoryEventLog(long maxLength) {
        this(maxLength, Long.MAX_VALUE);
    }

    /** @param maxBytes the most the kept events may hold, estimated as two bytes a character plus an overhead each */
    public MemoryEventLog(long maxLength, long maxBytes) {
        this.maxLength = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(1, maxLength));
        this.maxBytes = Math.max(1, maxBytes);
    }

    private static long size(DomainEvent event) {
        long chars = event.room().length() + event.user().length() + event.by().length();
        for (var field : event.data().entrySet()) {
            chars += field.getKey().length() + field.getValue().length();
        }
        return ENTRY_OVERHEAD + 2 * chars;
    }

    @Override
    public boolean append(String node, DomainEvent event) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            lastSequence++;
            entries.addLast(new Entry(Long.toString(lastSequence), node, event));
            bytes += size(event);
            // the newest stays, even alone over the budget: a reader may be waiting for it
            while (entries.size() > maxLength || (bytes > maxBytes && entries.size() > 1)) {
                bytes -= size(entries.removeFirst().event());
            }
            appended.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String last() {
        lock.lock();
        try {
            return Long.toString(lastSequence);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Reader reader() {
        return new Reader() {
            @Override
            public Page read(String after, int max, Duration wait) throws InterruptedException {
                return MemoryEventLog.this.read(after, max, wait);
            }

            @Override
            public void close() {
            }
        };
    }

    private Page read(String after, int max, Duration wait) throws InterruptedException {
        long position = parse(after);
        long deadline = System.nanoTime() + wait.toNanos();
        lock.lock();
        try {
            if (position > lastSequence) {
                throw new IllegalArgumentException("position " + after + " is ahead of the log (at " + lastSequence
                        + "): from an earlier run of the node?");
            }
            while (position >= lastSequence && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new Page(List.of(), after);
                }
                appended.awaitNanos(left);
            }
            if (entries.isEmpty() || position >= lastSequence) {
                return new Page(List.of(), after);
            }
            long first = lastSequence - entries.size() + 1;
            // entries are contiguous: skip straight to the first one after the position (or the oldest kept)
            int skip = (int) Math.max(0, position - first + 1);
            List<Entry> page = new ArrayList<>(Math.min(max, entries.size() - skip));
            var iterator = entries.iterator();
            for (int i = 0; i < skip; i++) {
                iterator.next();
            }
            while (iterator.hasNext() && page.size() < max) {
                page.add(iterator.next());
            }
            return new Page(page, page.getLast().id());
        } finally {
            lock.unlock();
        }
    }

    private static long parse(String position) {
        try {
            long value = Long.parseLong(position);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a position of this log: '" + position + "'");
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            appended.signalAll();
        } finally {
            lock.unlock();
        }
    }

}
