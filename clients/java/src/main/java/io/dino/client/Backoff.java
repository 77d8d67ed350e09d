package io.dino.client;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: exponential backoff with full jitter above a floor. The delay before attempt {@code n}
 * (0 for the first attempt after a connection was lost) is uniformly random in
 * {@code [min, min(max, min * 2^(n+1))]}: between {@code min} and {@code 2 min} at first, the upper bound
 * doubling per failed attempt until it reaches {@code max}. The jitter spreads the reconnects of many clients
 * that lost the same node; the floor keeps a client from hammering a node that refuses it.
 *
 * <p>Pure: the random source is passed in, so the schedule can be tested exactly.
 */
final class Backoff {

    // 2^62 nanoseconds is about 146 years: no longer doubling past it keeps the arithmetic from overflowing.
    private static final int MAX_DOUBLINGS = 62;

    private final long minNanos;
    private final long maxNanos;
    private final DoubleSupplier random;

    /**
     * @param random returns values in {@code [0, 1)}, e.g. {@code ThreadLocalRandom.current()::nextDouble}
     */
    Backoff(Duration min, Duration max, DoubleSupplier random) {
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        if (min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("need 0 <= min <= max, got min " + min + ", max " + max);
        }
        this.minNanos = min.toNanos();
        this.maxNanos = max.toNanos();
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The delay before attempt {@code attempt} (0-based). */
    Duration delay(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be >= 0: " + attempt);
        }
        long ceiling = ceiling(attempt);
        double r = Math.min(Math.max(random.getAsDouble(), 0), 1);
        return Duration.ofNanos(minNanos + (long) (r * (ceiling - minNanos)));
    }

    /** The largest delay attempt {@code attempt} can get. */
    long ceiling(int attempt) {
        int doublings = attempt >= MAX_DOUBLINGS ? MAX_DOUBLINGS : attempt + 1;
        // min * 2^doublings, saturating instead of overflowing
        long ceiling = minNanos > (Long.MAX_VALUE >> doublings) ? Long.MAX_VALUE : minNanos << doublings;
        return Math.min(maxNanos, ceiling);
    }
}
