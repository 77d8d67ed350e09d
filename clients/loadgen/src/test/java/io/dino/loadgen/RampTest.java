package io.dino.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleFunction;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RampTest {

    private static final double LIMIT = 50;

    /** A node that delivers everything with a p99 growing with the rate; fine up to {@code healthyUpTo}. */
    private static DoubleFunction<Ramp.Outcome> node(double healthyUpTo) {
        return rate -> new Ramp.Outcome(rate, rate, rate <= healthyUpTo ? 10 : 80, 1000, 0, 0);
    }

    private static Ramp.Result<Ramp.Outcome> run(Ramp.Settings settings, DoubleFunction<Ramp.Outcome> steps) {
        return Ramp.run(settings, steps, outcome -> outcome);
    }

    private static List<Double> rates(Ramp.Result<Ramp.Outcome> result) {
        return result.steps().stream().map(Ramp.Outcome::targetRate).toList();
    }

    @Test
    void multipliesTheRateUntilP99IsOverTheLimit() {
        Ramp.Result<Ramp.Outcome> result = run(new Ramp.Settings(100, true, 1.5, 2000, LIMIT), node(300));

        assertThat(rates(result)).containsExactly(100.0, 150.0, 225.0, 337.5);
        assertThat(result.stopReason()).isEqualTo("p99 80.0 ms over the 50.0 ms limit");
        assertThat(result.best()).isEqualTo(2);
    }

    @Test
    void theLastStepIsCappedAtTheMaxRateAndEndsTheRamp() {
        Ramp.Result<Ramp.Outcome> result = run(new Ramp.Settings(100, true, 2, 500, LIMIT), node(10_000));

        assertThat(rates(result)).containsExactly(100.0, 200.0, 400.0, 500.0);
        assertThat(result.stopReason()).isEqualTo("max-rate reached");
        assertThat(result.best()).isEqualTo(3);
        assertThat(new Ramp.Settings(100, true, 2, 500, LIMIT).plannedSteps()).isEqualTo(4);
    }

    @Test
    void anyLossStopsTheRampAndDisqualifiesTheStep() {
        Ramp.Result<Ramp.Outcome> result = run(new Ramp.Settings(10, true, 1.5, 1000, LIMIT),
                rate -> new Ramp.Outcome(rate, rate, 5, 1000, rate > 20 ? 1 : 0, 0));

        assertThat(rates(result)).containsExactly(10.0, 15.0, 22.5);
        assertThat(result.stopReason()).isEqualTo("lost 1 deliveries");
        assertThat(result.best()).isEqualTo(1);
    }

    @Test
    void failedSendsStopTheRamp() {
        Ramp.Result<Ramp.Outcome> result = run(new Ramp.Settings(10, true, 1.5, 1000, LIMIT),
                rate -> new Ramp.Outcome(rate, rate, 5, 1000, 0, 3));

        assertThat(result.steps()).hasSize(1);
        assertThat(result.best()).isEqualTo(-1);
        assertThat(result.stopReason()).isEqualTo("3 sends failed or went unanswered");
    }

    @Test
    void withoutRampingThereIsOneStep() {
        Ramp.Result<Ramp.Outcome> ok = run(new Ramp.Settings(100, false, 1.5, 1, LIMIT), node(1000));
        Ramp.Result<Ramp.Outcome> slow = run(new Ramp.Settings(100, false, 1.5, 1, LIMIT), node(10));

        assertThat(rates(ok)).containsExactly(100.0);
        assertThat(ok.best()).isZero();
        assertThat(ok.stopReason()).isEqualTo("single step");
        assertThat(slow.best()).isEqualTo(-1);
        assertThat(slow.stopReason()).startsWith("single step: p99");
        assertThat(new Ramp.Settings(100, false, 1.5, 1, LIMIT).plannedSteps()).isEqualTo(1);
    }

    @Test
    void nothingDeliveredIsNotHealthy() {
        assertThat(Ramp.problem(new Ramp.Outcome(10, 10, 0, 0, 0, 0), LIMIT)).contains("nothing was delivered");
    }

    @Test
    void rejectsSettingsThatCannotRamp() {
        assertThatThrownBy(() -> new Ramp.Settings(100, true, 1.0, 1000, LIMIT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Ramp.Settings(100, true, 1.5, 50, LIMIT)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void plannedStepsAreBounded() {
        assertThat(new Ramp.Settings(1e-6, true, 1.0001, 1e9, LIMIT).plannedSteps()).isEqualTo(Ramp.MAX_STEPS);
    }

    /**
     * The whole step loop on a fake clock: a generator whose every send costs 1 ms of CPU can publish at most
     * 1000/s; paced steps measure the rate it achieved, and the ramp stops when it fell behind.
     */
    @Test
    void stopsWhenTheGeneratorFallsBehindItsOwnSchedule() {
        FakeTicker ticker = new FakeTicker(0);
        long step = TimeUnit.SECONDS.toNanos(10);
        long sendCost = TimeUnit.MILLISECONDS.toNanos(1);
        List<Long> stepStarts = new ArrayList<>();
        DoubleFunction<Ramp.Outcome> pacedSteps = rate -> {
            long start = ticker.nanoTime();
            stepStarts.add(start);
            Pacer pacer = new Pacer(ticker, rate, start, start + step);
            while (pacer.awaitNext()) {
                ticker.advance(sendCost);
            }
            ticker.parkUntil(start + step); // the rest of the step
            double achieved = pacer.sent() / (step / 1e9);
            return new Ramp.Outcome(rate, achieved, 5, 1000, 0, 0);
        };

        Ramp.Result<Ramp.Outcome> result = run(new Ramp.Settings(400, true, 1.5, 5000, LIMIT), pacedSteps);

        assertThat(rates(result)).containsExactly(400.0, 600.0, 900.0, 1350.0);
        assertThat(result.steps().get(2).achievedRate()).isEqualTo(900.0);
        assertThat(result.steps().get(3).achievedRate()).isEqualTo(1000.0);
        assertThat(result.stopReason()).isEqualTo("generator fell behind: published 1000.0/s of 1350.0/s");
        // That step was still healthy for the node: best is the highest step with p99 within the limit and no loss.
        assertThat(result.best()).isEqualTo(3);
        assertThat(stepStarts).containsExactly(0L, step, 2 * step, 3 * step);
    }
}
