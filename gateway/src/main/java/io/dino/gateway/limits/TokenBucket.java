package io.dino.gateway.limits;

/**
 * A token bucket for one owner thread at a time (the commands of one session, which run one after another: see
 * WsConnection): a plain {@code long} of state, no lock, no allocation. Hand-offs between the threads that use it
 * must order their accesses (a thread start and join does).
 */
public final class TokenBucket {

    private final Rate rate;
    private long tat = Long.MIN_VALUE;  // idle: the first request starts from its own time

    public TokenBucket(Rate rate) {
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
        long next = rate.take(tat, nowNanos);
        if (next < 0) {
            return -next;
        }
        tat = next;
        return 0;
    }
}
