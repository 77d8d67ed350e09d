package io.dino.loadgen;

import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** A monotonic clock that can also wait: the real one, or a fake one in tests so no test has to sleep. */
interface Ticker {

    /** The real clock: {@link System#nanoTime()} and {@link LockSupport#parkNanos(long)}. */
    Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void parkNanos(long nanos) {
            if (Thread.currentThread().isInterrupted()) {
                // parkNanos returns at once on an interrupted thread; do not spin until the deadline.
                throw new CancellationException("interrupted");
            }
            LockSupport.parkNanos(nanos);
        }
    };

    long nanoTime();

    /** Waits about {@code nanos} (possibly less: callers re-check the time). */
    void parkNanos(long nanos);

    /** Waits until {@link #nanoTime()} has reached {@code deadline}. */
    default void parkUntil(long deadline) {
        long remaining;
        while ((remaining = deadline - nanoTime()) > 0) {
            parkNanos(remaining);
        }
    }

    /**
     * Polls {@code done} every {@code pollNanos} until it is true or {@code timeoutNanos} have passed.
     *
     * @return whether {@code done} became true
     */
    default boolean awaitCondition(BooleanSupplier done, long timeoutNanos, long pollNanos) {
        long deadline = nanoTime() + timeoutNanos;
        while (!done.getAsBoolean()) {
            long remaining = deadline - nanoTime();
            if (remaining <= 0) {
                return false;
            }
            parkNanos(Math.min(pollNanos, remaining));
        }
        return true;
    }
}
