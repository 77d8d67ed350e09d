package io.dino.gateway.limits;

/** Monotonic time for the buckets: nanoseconds since an origin, never negative, never going back. */
@FunctionalInterface
public interface NanoClock {

    long nanos();

    /** {@link System#nanoTime()} counted from the moment this is called (which may itself be any long). */
    static NanoClock system() {
        long origin = System.nanoTime();
        return () -> System.nanoTime() - origin;
    }
}
