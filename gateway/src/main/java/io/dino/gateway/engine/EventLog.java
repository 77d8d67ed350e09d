package io.dino.gateway.engine;

import io.dino.gateway.events.DomainEvent;

import java.time.Duration;
import java.util.List;

/**
 * The cluster-wide log of domain events (docs/events.md): every node appends what it observes, any node reads all
 * of it. Memory engine: a bounded log in the node; Redis engine: one Redis stream (one key, so one slot on Redis
 * Cluster), which backends may also read with consumer groups.
 *
 * <p>Contract:
 * <ul>
 *     <li>{@link #append} never blocks and never throws: it hands the event over and answers whether it was
 *     accepted. An accepted event may still be lost (the Redis engine writes batches asynchronously; a batch that
 *     fails is dropped, not retried, so nothing is ever appended twice by the node).</li>
 *     <li>Positions are opaque strings, increasing in log order; {@link #ORIGIN} is before the first entry.
 *     An entry's position never changes. Entries are trimmed oldest first (at {@code dino.events.max-length}):
 *     a read after a trimmed position continues at the oldest entry kept.</li>
 *     <li>The events one node appends are read back in the order it appended them; events of different
 *     nodes are ordered as the log received them.</li>
 * </ul>
 */
public interface EventLog extends AutoCloseable {

    /** The position before the first entry: reading after it reads the oldest entry kept. */
    String ORIGIN = "0";

    /** A log that keeps nothing: appends are refused, reads wait and find nothing (engines built without one). */
    EventLog NONE = new EventLog() {
        @Override
        public boolean append(String node, DomainEvent event) {
            return false;
        }

        @Override
        public String last() {
            return ORIGIN;
        }

        @Override
        public Reader reader() {
            return new Reader() {
                @Override
                public Page read(String after, int max, Duration wait) throws InterruptedException {
                    Thread.sleep(wait);
                    return new Page(List.of(), after);
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void close() {
        }
    };

    /** One entry of the log: its position and the event, with the node that appended it. */
    record Entry(String id, String node, DomainEvent event) {
    }

    /**
     * What one read found, oldest first, and where the next read starts: after the last entry read, which may be
     * past the last of {@code entries} when entries this node cannot decode (a newer node's type) were skipped.
     */
    record Page(List<Entry> entries, String next) {
        public Page {
            entries = List.copyOf(entries);
        }
    }

    /**
     * Hands the event over for appending, without waiting; false when it was dropped at once (the queue is full,
     * the log is closed). Appended events carry {@code node}.
     */
    boolean append(String node, DomainEvent event);

    /** The position of the newest entry, {@link #ORIGIN} when the log is empty: reading after it reads only new entries. */
    String last();

    /**
     * A reader of its own for one watcher, for as long as it reads (the Redis engine gives it a connection of
     * its own, so a blocking read holds nobody else up). Close it when done.
     */
    Reader reader();

    /** Reads of one watcher. */
    interface Reader extends AutoCloseable {

        /**
         * Up to {@code max} entries after {@code after} (a position from this log, or {@link #ORIGIN}), oldest
         * first; when there are none yet, waits up to {@code wait} for the first and answers what came (perhaps
         * nothing: then {@code next} is {@code after}). Returns at once, empty, once the log is closed.
         *
         * @throws IllegalArgumentException    for a malformed position (or, in memory, one the log never reached)
         * @throws EngineUnavailableException when the log cannot be read
         */
        Page read(String after, int max, Duration wait) throws InterruptedException;

        @Override
        void close();
    }

    /** Stops accepting events; the Redis engine writes what is queued first, for a short while at most. */
    @Override
    void close();
}
