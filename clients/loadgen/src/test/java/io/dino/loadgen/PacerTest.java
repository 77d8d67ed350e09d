package io.dino.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PacerTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long S = TimeUnit.SECONDS.toNanos(1);

    @Test
    void sendsAreDueAtFixedIntervalsFromTheStart() {
        Pacer pacer = new Pacer(new FakeTicker(0), 4, 1000, 1000 + S);

        assertThat(pacer.dueTime(0)).isEqualTo(1000);
        assertThat(pacer.dueTime(1)).isEqualTo(1000 + 250 * MS);
        assertThat(pacer.dueTime(3)).isEqualTo(1000 + 750 * MS);
        assertThat(pacer.scheduled()).isEqualTo(4);
    }

    @Test
    void fractionalRatesDoNotDrift() {
        // 3/s: an interval of 333,333,333.3 ns; truncating the interval once would lose a send every ~3 s.
        Pacer pacer = new Pacer(new FakeTicker(0), 3, 0, 100 * S);

        assertThat(pacer.dueTime(300)).isEqualTo(100 * S);
        assertThat(pacer.scheduled()).isEqualTo(300);
        assertThat(new Pacer(new FakeTicker(0), 1.5, 0, 10 * S).scheduled()).isEqualTo(15);
        assertThat(new Pacer(new FakeTicker(0), 1000, 0, S + 1).scheduled()).isEqualTo(1001);
    }

    @Test
    void anOnTimeSenderParksUntilEachSendIsDueAndStopsAtTheEnd() {
        FakeTicker ticker = new FakeTicker(0);
        Pacer pacer = new Pacer(ticker, 100, 5 * MS, 5 * MS + 100 * MS);
        List<Long> sendTimes = new ArrayList<>();

        while (pacer.awaitNext()) {
            sendTimes.add(ticker.nanoTime());
            ticker.advance(MS / 10); // the send itself takes a little time
        }

        assertThat(sendTimes).hasSize(10);
        for (int n = 0; n < 10; n++) {
            assertThat(sendTimes.get(n)).isEqualTo(5 * MS + n * 10 * MS);
        }
        assertThat(pacer.sent()).isEqualTo(10);
        assertThat(pacer.behind()).isZero();
        assertThat(pacer.skipped()).isZero();
        assertThat(pacer.maxLagNanos()).isZero();
    }

    @Test
    void aLateSenderSendsAtOnceAndCountsHowFarBehindItFell() {
        FakeTicker ticker = new FakeTicker(0);
        Pacer pacer = new Pacer(ticker, 1000, 0, S); // 1 ms apart

        assertThat(pacer.awaitNext()).isTrue();
        ticker.advance(30 * MS); // a stall: sends 1..30 are overdue
        int parksBefore = ticker.parks.size();
        for (int n = 1; n <= 30; n++) {
            assertThat(pacer.awaitNext()).isTrue();
        }

        assertThat(ticker.parks).hasSize(parksBefore); // caught up without waiting
        assertThat(pacer.maxLagNanos()).isEqualTo(29 * MS); // send 1 was due at 1 ms, sent at 30 ms
        // Late by more than the 1 ms tolerance: sends 1..28 (29 is 1 ms late, 30 on time).
        assertThat(pacer.behind()).isEqualTo(28);
        assertThat(pacer.lagToleranceNanos()).isEqualTo(MS);
    }

    @Test
    void theToleranceIsOneIntervalForSlowRates() {
        assertThat(new Pacer(new FakeTicker(0), 10, 0, S).lagToleranceNanos()).isEqualTo(100 * MS);
        assertThat(new Pacer(new FakeTicker(0), 100_000, 0, S).lagToleranceNanos()).isEqualTo(MS);
    }

    @Test
    void sendsStillOwedAtTheEndAreSkippedNotSent() {
        FakeTicker ticker = new FakeTicker(0);
        Pacer pacer = new Pacer(ticker, 10, 0, S);

        assertThat(pacer.awaitNext()).isTrue();
        ticker.advance(S); // stalled past the end of the step

        assertThat(pacer.awaitNext()).isFalse();
        assertThat(pacer.sent()).isEqualTo(1);
        assertThat(pacer.skipped()).isEqualTo(9);
    }

    @Test
    void anEmptyWindowSchedulesNothing() {
        Pacer pacer = new Pacer(new FakeTicker(0), 50, S, S);

        assertThat(pacer.scheduled()).isZero();
        assertThat(pacer.awaitNext()).isFalse();
    }

    @Test
    void worksAcrossNanoTimeOverflow() {
        long start = Long.MAX_VALUE - 50 * MS;
        FakeTicker ticker = new FakeTicker(start);
        Pacer pacer = new Pacer(ticker, 100, start, start + 100 * MS);
        int sends = 0;
        while (pacer.awaitNext() && sends < 1000) {
            sends++;
        }

        assertThat(sends).isEqualTo(10);
    }

    @Test
    void rejectsNonPositiveRates() {
        assertThatThrownBy(() -> new Pacer(new FakeTicker(0), 0, 0, S)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Pacer(new FakeTicker(0), Double.NaN, 0, S)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void awaitConditionPollsUntilTrueOrTimeout() {
        FakeTicker ticker = new FakeTicker(0);
        long[] checks = {0};

        boolean met = ticker.awaitCondition(() -> ++checks[0] >= 3, S, 20 * MS);

        assertThat(met).isTrue();
        assertThat(ticker.nanoTime()).isEqualTo(40 * MS);
        assertThat(ticker.awaitCondition(() -> false, 2 * S, 20 * MS)).isFalse();
        assertThat(ticker.nanoTime()).isEqualTo(40 * MS + 2 * S);
    }
}
