package io.dino.gateway.engine;

import java.time.Duration;

/**
 * How long a log that receives nothing lives, the same in every engine. Once max-age has passed since
 * its last publication, every publication in it is older than max-age, so the whole log (entries, epoch,
 * offsets) can go without losing anything within retention; its next publication starts a new epoch.
 * The margin covers clocks: publications are stamped by the publishing node's clock, but a store such
 * as Redis expires keys by its own.
 */
public final class Retention {

    private static final Duration MAX_MARGIN = Duration.ofMinutes(1);

    private Retention() {
    }

    /**
     * Max-age plus a margin of max-age itself, at most a minute (NTP keeps clocks far closer); zero when
     * max-age is zero: logs are then kept until deleted, bounded only by retained-per-log each.
     */
    public static Duration idleLifetime(Duration maxAge) {
        if (maxAge.isZero()) {
            return Duration.ZERO;
        }
        return maxAge.plus(maxAge.compareTo(MAX_MARGIN) < 0 ? maxAge : MAX_MARGIN);
    }
}
