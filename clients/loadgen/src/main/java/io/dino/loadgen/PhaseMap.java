package io.dino.loadgen;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which phase (warm-up, step 1, step 2, ...) a message belongs to, from its sender and sequence number: each
 * sender records the first sequence number it uses in a phase before sending it. Receivers look the phase up,
 * so a message sent near the end of a step and delivered during the next one still counts for its own step.
 *
 * <p>Thread-safe: senders write, receiver threads read.
 */
final class PhaseMap {

    private final int senders;
    private final int phases;
    private final AtomicLongArray firstSequence;

    PhaseMap(int senders, int phases) {
        if (senders < 0 || phases < 1) {
            throw new IllegalArgumentException("senders " + senders + ", phases " + phases);
        }
        this.senders = senders;
        this.phases = phases;
        this.firstSequence = new AtomicLongArray(Math.max(1, senders * phases));
        for (int i = 0; i < firstSequence.length(); i++) {
            firstSequence.set(i, Long.MAX_VALUE);
        }
    }

    int phases() {
        return phases;
    }

    /** Sender {@code sender} starts phase {@code phase} with sequence number {@code first}; call before sending it. */
    void begin(int sender, int phase, long first) {
        firstSequence.set(index(sender, phase), first);
    }

    /** The phase of sender {@code sender}'s message {@code sequence}; -1 if it precedes every phase begun. */
    int phaseOf(int sender, long sequence) {
        if (sender < 0 || sender >= senders) {
            return -1;
        }
        // The latest phase whose first number is at or below the sequence (a phase the sender sent nothing in
        // shares its first number with the next one; the later phase wins).
        for (int phase = phases - 1; phase >= 0; phase--) {
            if (firstSequence.get(index(sender, phase)) <= sequence) {
                return phase;
            }
        }
        return -1;
    }

    private int index(int sender, int phase) {
        if (sender < 0 || sender >= senders || phase < 0 || phase >= phases) {
            throw new IndexOutOfBoundsException("sender " + sender + ", phase " + phase);
        }
        return sender * phases + phase;
    }
}
