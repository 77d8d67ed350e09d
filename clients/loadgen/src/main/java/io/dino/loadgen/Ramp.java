package io.dino.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleFunction;

/**
 * Step logic of the fanout workload, free of I/O and time so it can be tested alone: which rate each step
 * runs at, when to stop, and which step was the best.
 *
 * <p>With ramping, the first step runs at the start rate and each further step at {@code factor} times the
 * previous one (the last capped at the maximum rate). Ramping stops after a step that was not healthy (p99
 * over the limit, any lost delivery, any failed or unanswered send, or nothing delivered), after a step at the
 * maximum rate, or when the generator could not keep up (it achieved less than {@link #KEEP_UP} of the target
 * rate, so higher targets would measure the generator, not the node). Without ramping there is one step.
 */
final class Ramp {

    /** Below this share of the target publish rate the generator counts as having fallen behind. */
    static final double KEEP_UP = 0.9;
    /** Upper bound on the number of steps, whatever the rates. */
    static final int MAX_STEPS = 50;

    /**
     * @param startRate  rate of the first step (per publisher)
     * @param ramp       whether to ramp at all
     * @param factor     rate multiplier between steps, > 1
     * @param maxRate    highest rate to try
     * @param p99LimitMs a healthy step's p99 delivery latency is at most this
     */
    record Settings(double startRate, boolean ramp, double factor, double maxRate, double p99LimitMs) {

        Settings {
            if (!(startRate > 0) || !(p99LimitMs > 0)) {
                throw new IllegalArgumentException("rates and limits must be positive");
            }
            if (ramp && (!(factor > 1) || maxRate < startRate)) {
                throw new IllegalArgumentException("ramping needs factor > 1 and maxRate >= startRate");
            }
        }

        /** How many steps ramping from the start rate to the max rate takes (1 without ramping), capped. */
        int plannedSteps() {
            if (!ramp) {
                return 1;
            }
            int steps = 1;
            for (double rate = startRate; rate < maxRate && steps < MAX_STEPS; rate = Math.min(rate * factor, maxRate)) {
                steps++;
            }
            return steps;
        }
    }

    /** What the ramp needs to know about a finished step. */
    record Outcome(double targetRate, double achievedRate, double p99Ms, long received, long lost, long sendFailures) {
    }

    /** A problem that makes a step unhealthy, or empty if it was healthy. */
    static Optional<String> problem(Outcome outcome, double p99LimitMs) {
        if (outcome.lost() > 0) {
            return Optional.of("lost " + outcome.lost() + " deliveries");
        }
        if (outcome.sendFailures() > 0) {
            return Optional.of(outcome.sendFailures() + " sends failed or went unanswered");
        }
        if (outcome.received() == 0) {
            return Optional.of("nothing was delivered");
        }
        if (outcome.p99Ms() > p99LimitMs) {
            return Optional.of(String.format("p99 %.1f ms over the %.1f ms limit", outcome.p99Ms(), p99LimitMs));
        }
        return Optional.empty();
    }

    /** Whether the generator reached enough of the step's target rate. */
    static boolean keptUp(Outcome outcome) {
        return outcome.achievedRate() >= KEEP_UP * outcome.targetRate();
    }

    /** The steps run, why the ramp stopped, and the index of the best step (-1 if none was healthy). */
    record Result<S>(List<S> steps, String stopReason, int best) {
    }

    /**
     * Runs steps until the ramp stops.
     *
     * @param runStep   runs one step at the given rate; returns the step's own record
     * @param outcomeOf what the ramp needs from such a record
     */
    static <S> Result<S> run(Settings settings, DoubleFunction<S> runStep, java.util.function.Function<S, Outcome> outcomeOf) {
        List<S> steps = new ArrayList<>();
        int best = -1;
        double rate = settings.ramp() ? Math.min(settings.startRate(), settings.maxRate()) : settings.startRate();
        for (int i = 0; i < MAX_STEPS; i++) {
            S step = runStep.apply(rate);
            steps.add(step);
            Outcome outcome = outcomeOf.apply(step);
            Optional<String> problem = problem(outcome, settings.p99LimitMs());
            if (problem.isEmpty()) {
                best = i;
            }
            if (!settings.ramp()) {
                return new Result<>(steps, problem.map(p -> "single step: " + p).orElse("single step"), best);
            }
            if (problem.isPresent()) {
                return new Result<>(steps, problem.get(), best);
            }
            if (!keptUp(outcome)) {
                return new Result<>(steps, String.format("generator fell behind: published %.1f/s of %.1f/s",
                        outcome.achievedRate(), outcome.targetRate()), best);
            }
            if (rate >= settings.maxRate()) {
                return new Result<>(steps, "max-rate reached", best);
            }
            rate = Math.min(rate * settings.factor(), settings.maxRate());
        }
        return new Result<>(steps, "step limit (" + MAX_STEPS + ") reached", best);
    }
}
