package io.dino.loadgen;

import java.util.concurrent.TimeUnit;

/**
 * Paces one sender at a fixed rate: send {@code n} is due at {@code start + n / rate}, whatever happened to the
 * sends before it (no drift from slow sends or late wake-ups). A sender that is late does not wait, it sends at
 * once to catch up, and the pacer counts how often and how late that happened; a sender that is more than a
 * send interval (at least 1 ms) late has fallen behind the schedule. Nothing is sent from {@code end} on, even
 * when sends are still owed: the step is over, and {@link #skipped()} says how many sends did not happen.
 *
 * <p>Used by one thread at a time.
 */
final class Pacer {

    static final long MIN_LAG_TOLERANCE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Ticker ticker;
    private final double rate;
    private final double intervalNanos;
    private final long start;
    private final long end;
    private final long lagTolerance;

    private long next;
    private long behind;
    private long maxLag;

    /**
     * @param ratePerSecond sends per second, positive
     * @param start         when send 0 is due (a {@link Ticker#nanoTime()} value)
     * @param end           no send is due at or after this time
     */
    Pacer(Ticker ticker, double ratePerSecond, long start, long end) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate must be positive: " + ratePerSecond);
        }
        this.ticker = ticker;
        this.rate = ratePerSecond;
        this.intervalNanos = 1e9 / ratePerSecond;
        this.start = start;
        this.end = end;
        this.lagTolerance = Math.max(MIN_LAG_TOLERANCE_NANOS, (long) Math.ceil(intervalNanos));
    }

    /** When send {@code n} (counting from 0) is due. */
    long dueTime(long n) {
        // n * 1e9 is exact in a double up to n = 9 million, so the times do not drift with a fractional interval.
        return start + (long) (n * 1e9 / rate);
    }

    /** How many sends are due in {@code [start, end)}. */
    long scheduled() {
        long span = end - start;
        if (span <= 0) {
            return 0;
        }
        // The smallest n with dueTime(n) >= end; start from the estimate and correct for rounding.
        long n = (long) Math.ceil(span / intervalNanos);
        while (n > 0 && dueTime(n - 1) - end >= 0) {
            n--;
        }
        while (dueTime(n) - end < 0) {
            n++;
        }
        return n;
    }

    /**
     * Waits until the next send is due (or returns at once if it is overdue).
     *
     * @return true to send now; false when the step is over (no more sends are due before {@code end}, or the
     *         time is already past {@code end})
     */
    boolean awaitNext() {
        long due = dueTime(next);
        if (due - end >= 0) {
            return false;
        }
        long now = ticker.nanoTime();
        if (now - due < 0) {
            ticker.parkUntil(due);
            now = ticker.nanoTime();
        }
        if (now - end >= 0) {
            return false;
        }
        long lag = now - due;
        if (lag > lagTolerance) {
            behind++;
        }
        maxLag = Math.max(maxLag, lag);
        next++;
        return true;
    }

    /** Sends made so far (the number of times {@link #awaitNext()} returned true). */
    long sent() {
        return next;
    }

    /** Sends that were due but not made because the step ended first. */
    long skipped() {
        return Math.max(0, scheduled() - next);
    }

    /** Sends made more than the lag tolerance after they were due. */
    long behind() {
        return behind;
    }

    /** The latest any send was made after it was due. */
    long maxLagNanos() {
        return maxLag;
    }

    long lagToleranceNanos() {
        return lagTolerance;
    }
}
