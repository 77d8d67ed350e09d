package io.dino.loadgen;

import java.util.ArrayList;
import java.util.List;

/** A clock that only moves when told to, or when someone parks on it (parking jumps to the wake-up time). */
final class FakeTicker implements Ticker {

    private long now;
    final List<Long> parks = new ArrayList<>();

    FakeTicker(long start) {
        this.now = start;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void parkNanos(long nanos) {
        parks.add(nanos);
        now += nanos;
    }

    void advance(long nanos) {
        now += nanos;
    }
}
