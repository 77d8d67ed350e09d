package io.dino.gateway.core;

import io.dino.gateway.engine.Blacklist;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static io.dino.gateway.core.EngineCalls.call;

/**
 * The blacklist as the core uses it: entries managed by backends (validated and normalised here, stored in the
 * engine's {@link Blacklist}), and this node's compiled {@link BlacklistMatcher} of them, which the send path reads
 * without an engine call.
 *
 * <p>Propagation: a change made on this node is compiled here before the call returns. Every node also reads the
 * stored version every {@code dino.moderation.blacklist-refresh} (default 1 s; one small engine read per node per
 * period, none per message) and recompiles when it moved, so a change made on another node is matched here at the
 * latest one period (plus a read) after it returned. (The control plane reaches only the nodes holding a log; no log
 * is held by every node, so a control could not reach them all.)
 */
public final class Blacklisting {

    /** Longest entry, in characters. */
    public static final int MAX_ENTRY_LENGTH = 100;
    /** Most words in one entry (a phrase). */
    public static final int MAX_WORDS = 10;
    /** Most entries one call may name. */
    public static final int MAX_PER_CALL = 1000;

    private record Compiled(long version, BlacklistMatcher matcher) {
    }

    private final Blacklist store;
    private final ReentrantLock refreshing = new ReentrantLock();
    private volatile Compiled compiled = new Compiled(-1, BlacklistMatcher.EMPTY);

    Blacklisting(Blacklist store) {
        this.store = store;
    }

    /** What the send path matches against: this node's compiled entries. */
    public BlacklistMatcher matcher() {
        return compiled.matcher();
    }

    /** Adds entries (normalised: lower-case words joined by single spaces); answers those new to the list, sorted. */
    public List<String> add(Collection<String> entries) {
        List<String> normal = normalise(entries);
        List<String> added = call(() -> store.add(normal)).stream().sorted().toList();
        refresh();
        return added;
    }

    /** Removes entries (normalised as for {@link #add}); answers those that were listed, sorted. */
    public List<String> remove(Collection<String> entries) {
        List<String> normal = normalise(entries);
        List<String> removed = call(() -> store.remove(normal)).stream().sorted().toList();
        refresh();
        return removed;
    }

    /** Every entry, sorted, as stored (not this node's compiled copy). */
    public List<String> words() {
        return call(store::words);
    }

    /** Reads the stored version and recompiles when it moved (engine reads: never on a delivering thread). */
    public void refresh() {
        refreshing.lock();
        try {
            long version = call(store::version);
            if (version != compiled.version()) {
                compiled = new Compiled(version, new BlacklistMatcher(call(store::words)));
            }
        } finally {
            refreshing.unlock();
        }
    }

    /** Refreshes every {@code period}, each time on a virtual thread of its own (engine reads stay off the timer). */
    public void refreshEvery(ScheduledExecutorService timers, Duration period) {
        timers.scheduleWithFixedDelay(() -> Thread.ofVirtual().name("dino-blacklist").start(this::refreshQuietly),
                period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void refreshQuietly() {
        if (refreshing.isLocked()) {
            return;  // the last one is still reading
        }
        try {
            refresh();
        } catch (DinoException e) {
            System.getLogger(Blacklisting.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot refresh the blacklist (the previous one stays in use): {0}", e.getMessage());
        }
    }

    /** 1-1000 entries, each 1-100 characters with at most 10 words; INVALID_VALUE naming the first that is not. */
    static List<String> normalise(Collection<String> entries) {
        if (entries.isEmpty() || entries.size() > MAX_PER_CALL) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "words must name 1-" + MAX_PER_CALL + " words or phrases");
        }
        LinkedHashSet<String> normal = new LinkedHashSet<>();
        for (String entry : entries) {
            String text = entry == null ? "" : entry.strip();
            List<String> words = BlacklistMatcher.words(text);
            if (text.length() > MAX_ENTRY_LENGTH || words.isEmpty() || words.size() > MAX_WORDS) {
                throw new DinoException(ErrorCode.INVALID_VALUE, "'" + truncate(text) + "' is not a blacklist entry: it must be 1-"
                        + MAX_ENTRY_LENGTH + " characters with 1-" + MAX_WORDS + " words (letters and digits)");
            }
            normal.add(String.join(" ", words));
        }
        return new ArrayList<>(normal);
    }

    private static String truncate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
