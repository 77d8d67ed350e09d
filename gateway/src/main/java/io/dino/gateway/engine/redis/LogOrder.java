package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Publication;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Puts what a node's inbox brings for each subscribed log back into offset order. Pure logic: the
 * {@link InboxReader} feeds it and does the reading; one thread uses it.
 *
 * <p>Concurrent publishers' inbox writes can arrive out of order, so an entry that skips offsets waits
 * here until the missing ones come, or until the reader fills the gap from the log. A log that was
 * reset (Redis lost it) starts a new epoch: the first entry of another epoch is checked against the
 * log's current epoch; if it is current, whatever still waits in the old epoch is delivered as far as it
 * goes (the rest was lost with the old log) and the new epoch starts at offset 0, buffering out of order
 * like any other; if it is not, the entry is a late one of an epoch already left behind and is dropped.
 * An offset already delivered is dropped.
 *
 * <p>{@code delivered} holds the last offset delivered per subscribed log; subscribing puts the log's
 * position at that instant, unsubscribing removes it (from other threads).
 */
final class LogOrder {

    /** A gap that waited long enough: read offsets {@code from} to {@code to} of the epoch from the log. */
    record Gap(LogId log, String epoch, long from, long to) {
    }

    private static final int STALE_EPOCHS_KEPT = 4;

    private final Map<LogId, Position> delivered;
    private final long gapWaitNanos;
    private final Map<LogId, Waiting> waiting = new HashMap<>();
    private final Map<LogId, SequencedSet<String>> staleEpochs = new HashMap<>();

    /** Entries that arrived ahead of a missing offset, and since when the gap is open. */
    private static final class Waiting {
        final TreeMap<Long, Publication> ahead = new TreeMap<>();
        long since;

        Waiting(long since) {
            this.since = since;
        }
    }

    LogOrder(Map<LogId, Position> delivered, long gapWaitNanos) {
        this.delivered = delivered;
        this.gapWaitNanos = gapWaitNanos;
    }

    /**
     * Takes one inbox entry. {@code currentEpoch} is asked only when the entry's epoch is neither the one
     * being delivered nor one known to be left behind.
     */
    void offer(Publication publication, long now, Function<LogId, String> currentEpoch, Consumer<Publication> out) {
        LogId log = publication.log();
        Position last = delivered.get(log);
        if (last == null) {
            forget(log);  // no longer subscribed
            return;
        }
        String epoch = publication.position().epoch();
        if (!epoch.equals(last.epoch())) {
            if (isStale(log, epoch)) {
                return;
            }
            if (!epoch.equals(currentEpoch.apply(log))) {
                markStale(log, epoch);
                return;
            }
            last = switchEpoch(log, last, epoch, out);
        }
        long offset = publication.position().offset();
        if (offset <= last.offset()) {
            return;
        }
        if (offset > last.offset() + 1) {
            waiting.computeIfAbsent(log, id -> new Waiting(now)).ahead.put(offset, publication);
            return;
        }
        out.accept(publication);
        deliverFollowing(log, publication.position(), out);
    }

    /** Gaps open longer than the wait, oldest offsets first per log. */
    List<Gap> expiredGaps(long now) {
        List<Gap> gaps = new ArrayList<>();
        for (Map.Entry<LogId, Waiting> entry : waiting.entrySet()) {
            Position last = delivered.get(entry.getKey());
            Waiting ahead = entry.getValue();
            if (last != null && now - ahead.since >= gapWaitNanos) {
                gaps.add(new Gap(entry.getKey(), last.epoch(), last.offset() + 1, ahead.ahead.firstKey() - 1));
            }
        }
        return gaps;
    }

    /**
     * What the log holds of a gap, or of a tail the inbox never brought (see {@link #behind}); delivers in
     * order through offset {@code through}, skipping what the log no longer holds. {@code epoch} is the epoch
     * the publications belong to; when it is not the one being delivered, the log was reset and this starts
     * the new epoch.
     */
    void fill(LogId log, String epoch, List<Publication> fromLog, long through, long now, Consumer<Publication> out) {
        Position last = delivered.get(log);
        if (last == null) {
            forget(log);
            return;
        }
        if (!epoch.equals(last.epoch())) {
            if (isStale(log, epoch)) {
                return;
            }
            last = switchEpoch(log, last, epoch, out);
        }
        Waiting ahead = waiting.computeIfAbsent(log, id -> new Waiting(now));
        ahead.since = now;  // whatever still waits after this waits for a new gap
        for (Publication publication : fromLog) {
            ahead.ahead.putIfAbsent(publication.position().offset(), publication);
        }
        Position reached = last;
        while (!ahead.ahead.isEmpty() && ahead.ahead.firstKey() <= through) {
            Publication next = ahead.ahead.pollFirstEntry().getValue();
            if (next.position().offset() > reached.offset()) {
                out.accept(next);  // a jump here skips offsets the log no longer holds
                reached = next.position();
            }
        }
        if (through > reached.offset()) {
            reached = new Position(epoch, through);  // nothing left of these offsets: clients see the jump and recover
        }
        record(log, reached);
        deliverFollowing(log, reached, out);
    }

    /**
     * Whether the log's top (read from Redis) is beyond what was delivered, with nothing waiting for it:
     * the inbox did not bring those entries (their routing failed), or not yet.
     */
    boolean behind(LogId log, Position top) {
        Position last = delivered.get(log);
        if (last == null || top == null || waiting.containsKey(log)) {
            return false;
        }
        if (top.epoch().equals(last.epoch())) {
            return top.offset() > last.offset();
        }
        return top.offset() > 0 && !isStale(log, top.epoch());
    }

    /** The position delivered so far, or null when not subscribed. */
    Position delivered(LogId log) {
        return delivered.get(log);
    }

    /** Drops what is kept for logs no longer subscribed. */
    void forgetUnsubscribed() {
        waiting.keySet().removeIf(log -> !delivered.containsKey(log));
        staleEpochs.keySet().removeIf(log -> !delivered.containsKey(log));
    }

    boolean hasWaiting() {
        return !waiting.isEmpty();
    }

    private Position switchEpoch(LogId log, Position last, String epoch, Consumer<Publication> out) {
        Waiting old = waiting.remove(log);
        if (old != null) {
            old.ahead.values().forEach(out);
        }
        markStale(log, last.epoch());
        Position start = new Position(epoch, 0);
        record(log, start);
        return start;
    }

    /** Delivers entries that now follow on, and records the last offset delivered. */
    private void deliverFollowing(LogId log, Position from, Consumer<Publication> out) {
        Position last = from;
        Waiting ahead = waiting.get(log);
        while (ahead != null && !ahead.ahead.isEmpty() && ahead.ahead.firstKey() <= last.offset() + 1) {
            Publication next = ahead.ahead.pollFirstEntry().getValue();
            if (next.position().offset() == last.offset() + 1) {
                out.accept(next);
                last = next.position();
            }
        }
        if (ahead != null && ahead.ahead.isEmpty()) {
            waiting.remove(log);
        }
        record(log, last);
    }

    private void record(LogId log, Position reached) {
        delivered.computeIfPresent(log, (id, previous) -> reached);
    }

    private boolean isStale(LogId log, String epoch) {
        SequencedSet<String> stale = staleEpochs.get(log);
        return stale != null && stale.contains(epoch);
    }

    private void markStale(LogId log, String epoch) {
        SequencedSet<String> stale = staleEpochs.computeIfAbsent(log, id -> new LinkedHashSet<>());
        stale.add(epoch);
        if (stale.size() > STALE_EPOCHS_KEPT) {
            stale.removeFirst();
        }
    }

    private void forget(LogId log) {
        waiting.remove(log);
        staleEpochs.remove(log);
    }
}
