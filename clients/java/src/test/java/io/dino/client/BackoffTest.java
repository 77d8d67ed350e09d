package io.dino.client;

import java.time.Duration;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reconnect schedule, with the random source pinned. */
class BackoffTest {

    private static final Duration MIN = Duration.ofMillis(100);
    private static final Duration MAX = Duration.ofSeconds(2);

    @Test
    void theCeilingDoublesFromTwiceTheMinimumUpToTheMaximum() {
        Backoff highest = new Backoff(MIN, MAX, () -> 1.0);

        assertThat(IntStream.range(0, 7).mapToObj(highest::delay).map(Duration::toMillis))
                .containsExactly(200L, 400L, 800L, 1600L, 2000L, 2000L, 2000L);
    }

    @Test
    void theLowestDelayIsAlwaysTheMinimum() {
        Backoff lowest = new Backoff(MIN, MAX, () -> 0.0);

        assertThat(IntStream.range(0, 7).mapToObj(lowest::delay)).containsOnly(MIN);
    }

    @Test
    void jitterSpreadsDelaysUniformlyBetweenMinimumAndCeiling() {
        Backoff half = new Backoff(MIN, MAX, () -> 0.5);

        assertThat(IntStream.range(0, 6).mapToObj(half::delay).map(Duration::toMillis))
                .containsExactly(150L, 250L, 450L, 850L, 1050L, 1050L);
    }

    @Test
    void manyFailedAttemptsDoNotOverflow() {
        Backoff highest = new Backoff(MIN, MAX, () -> 1.0);

        assertThat(highest.delay(Integer.MAX_VALUE)).isEqualTo(MAX);
        assertThat(highest.delay(63)).isEqualTo(MAX);
        assertThat(new Backoff(Duration.ofDays(365), Duration.ofDays(3650), () -> 1.0).delay(100))
                .isEqualTo(Duration.ofDays(3650));
    }

    @Test
    void equalBoundsGiveAFixedDelayAndZeroBoundsNoDelay() {
        assertThat(new Backoff(MIN, MIN, () -> 0.7).delay(5)).isEqualTo(MIN);
        assertThat(new Backoff(Duration.ZERO, Duration.ZERO, () -> 0.7).delay(5)).isEqualTo(Duration.ZERO);
    }

    @Test
    void randomValuesOutsideZeroToOneAreClamped() {
        assertThat(new Backoff(MIN, MAX, () -> 7.0).delay(0)).isEqualTo(Duration.ofMillis(200));
        assertThat(new Backoff(MIN, MAX, () -> -1.0).delay(0)).isEqualTo(MIN);
    }

    @Test
    void invalidBoundsAndAttemptsAreRefused() {
        assertThatThrownBy(() -> new Backoff(MAX, MIN, () -> 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(-1), MAX, () -> 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(MIN, MAX, () -> 0).delay(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
