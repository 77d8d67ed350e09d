package io.dino.gateway.limits;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket several threads take from (the sessions of one user on this node; the calls of one API key):
 * the same one-number state as {@link TokenBucket}, moved by compare-and-set. No lock and no allocation; a
 * contended take retries with the value it lost to.
 */
public final class SharedTokenBucket {

    private final Rate rate;
    private final AtomicLong tat = new AtomicLong(Long.MIN_VALUE);

    public SharedTokenBucket(Rate rate) {
        if (rate.unlimited()) {
            throw new IllegalArgumentException("an unlimited rate needs no bucket");
        }
        this.rate = rate;
    }

    /**
     * Takes a token at {@code nowNanos} (0 or more, from a {@link NanoClock}): 0 when one was there, else the
     * nanoseconds until one will be (> 0), and nothing is taken.
     */
    public long tryTake(long nowNanos) {
        long current = tat.get();
        while (true) {
            long next = rate.take(current, nowNanos);
            if (next < 0) {
                return -next;
            }
            long witnessed = tat.compareAndExchange(current, next);
            if (witnessed == current) {
                return 0;
            }
            current = witnessed;
        }
    }

    /** Whether the bucket holds its whole burst at {@code nowNanos} (it owes nothing, and forgetting it changes nothing). */
    public boolean full(long nowNanos) {
        return tat.get() <= nowNanos;
    }
}
