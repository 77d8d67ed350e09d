package io.dino.loadgen;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one receiver has seen of one sender's sequence numbers (0, 1, 2, ...): classifies each arrival as new,
 * late (it fills a gap left by a later number that arrived first), or a duplicate. Cheap on the in-order path:
 * one comparison. Gaps are kept as ranges, only while they exist.
 *
 * <p>At most {@link #MAX_GAPS} gaps are remembered; when more open up (e.g. many sends failed and were never
 * delivered), the oldest are forgotten and a number arriving from a forgotten gap is reported as
 * {@link Outcome#UNTRACKED} (late or duplicate: no longer known).
 *
 * <p>Not thread-safe: one receiver's events arrive one at a time.
 */
final class SequenceTracker {

    enum Outcome {
        /** Higher than any seen before (possibly skipping some: those become gaps). */
        NEW,
        /** Lower than one seen before, and not seen itself: arrived out of order. */
        LATE,
        /** Seen before. */
        DUPLICATE,
        /** Lower than one seen before, in a gap that was forgotten: late or duplicate. */
        UNTRACKED
    }

    static final int MAX_GAPS = 1024;

    // Every number below next has arrived, or lies in a gap.
    private long next;
    // Gap start -> end (exclusive): numbers not yet seen although a higher one was. Null while there are none.
    private TreeMap<Long, Long> gaps;
    // Numbers below this may lie in forgotten gaps.
    private long forgottenBelow;

    Outcome accept(long sequence) {
        if (sequence >= next) {
            if (sequence > next) {
                openGap(next, sequence);
            }
            next = sequence + 1;
            return Outcome.NEW;
        }
        if (gaps != null) {
            Map.Entry<Long, Long> gap = gaps.floorEntry(sequence);
            if (gap != null && sequence < gap.getValue()) {
                fill(gap.getKey(), gap.getValue(), sequence);
                return Outcome.LATE;
            }
        }
        return sequence < forgottenBelow ? Outcome.UNTRACKED : Outcome.DUPLICATE;
    }

    /** Numbers not seen yet although a higher one was (within the remembered gaps). */
    long missing() {
        if (gaps == null) {
            return 0;
        }
        long missing = 0;
        for (Map.Entry<Long, Long> gap : gaps.entrySet()) {
            missing += gap.getValue() - gap.getKey();
        }
        return missing;
    }

    /** The next number expected in order: one more than the highest seen. */
    long next() {
        return next;
    }

    private void openGap(long from, long to) {
        if (gaps == null) {
            gaps = new TreeMap<>();
        }
        gaps.put(from, to);
        if (gaps.size() > MAX_GAPS) {
            Map.Entry<Long, Long> oldest = gaps.pollFirstEntry();
            forgottenBelow = Math.max(forgottenBelow, oldest.getValue());
        }
    }

    private void fill(long from, long to, long sequence) {
        gaps.remove(from);
        if (from < sequence) {
            gaps.put(from, sequence);
        }
        if (sequence + 1 < to) {
            gaps.put(sequence + 1, to);
        }
        if (gaps.isEmpty()) {
            gaps = null;
        }
    }
}
