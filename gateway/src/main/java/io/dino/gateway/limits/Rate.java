package io.dino.gateway.limits;

/**
 * A token bucket's shape: {@code perSecond} tokens are added each second, at most {@code burst} are held. A
 * request takes one token; with none left it waits. {@code perSecond} 0 means unlimited.
 *
 * <p>The buckets keep it in the form of the generic cell rate algorithm (GCRA): one number per bucket, the
 * theoretical arrival time ({@code tat}) of the next request if requests came exactly at the rate. A request at
 * {@code now} conforms when {@code tat - now <= (burst - 1) * interval}; it then moves {@code tat} one interval
 * on (from {@code now} when the bucket was idle). This admits exactly what a bucket of {@code burst} tokens
 * refilled at {@code perSecond} admits, with integer arithmetic only, and gives the exact wait of a refused one.
 *
 * @param perSecond tokens added per second; 0: no limit
 * @param burst     most tokens held (requests that may come at once after a quiet spell); at least 1 when limited,
 *                  kept but unused when not
 */
public record Rate(int perSecond, int burst) {

    public static final Rate UNLIMITED = new Rate(0, 0);

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    public Rate {
        if (perSecond < 0 || burst < 0) {
            throw new IllegalArgumentException("a rate and a burst are 0 or more: " + perSecond + "/s, burst " + burst);
        }
        if (perSecond > 0 && burst == 0) {
            throw new IllegalArgumentException("a limited rate needs a burst of at least 1");
        }
    }

    public boolean unlimited() {
        return perSecond == 0;
    }

    /** Nanoseconds between two tokens. */
    long intervalNanos() {
        return NANOS_PER_SECOND / perSecond;
    }

    /** How far ahead of now {@code tat} may be for a request to conform. */
    long toleranceNanos() {
        return (burst - 1) * intervalNanos();
    }

    /**
     * One request at {@code now} (0 or more) against a bucket whose state is {@code tat}: the new state when it conforms,
     * or, when it does not, minus the nanoseconds until it would (always negative, the state then unchanged).
     */
    long take(long tat, long now) {
        long start = Math.max(tat, now);
        long ahead = start - now;
        long tolerance = toleranceNanos();
        if (ahead > tolerance) {
            return -(ahead - tolerance);
        }
        return start + intervalNanos();
    }

    /** A wait in nanoseconds as whole milliseconds, rounded up, so a client that waits that long is admitted. */
    public static long millisRoundedUp(long nanos) {
        return (nanos + 999_999) / 1_000_000;
    }
}
