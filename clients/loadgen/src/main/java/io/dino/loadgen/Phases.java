package io.dino.loadgen;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the receivers of a room workload share: the phase of every message, each phase's counters, and counts
 * of what fits no phase.
 */
final class Phases {

    final PhaseMap map;
    private final StepStats[] stats;
    /** Message events whose body is not one of ours (or names an unknown sender or phase). */
    final LongAdder foreign = new LongAdder();
    /** {@code disconnect} events received, by code and name (e.g. 4080 SLOW_CONSUMER). */
    final Failures disconnects = new Failures();

    /**
     * @param senders publishers (fanout) or rooms (publish): the {@code p} values of message bodies
     * @param rooms   rooms, for the per-room counters
     * @param phases  warm-up plus the most steps that may run
     */
    Phases(int senders, int rooms, int phases) {
        this.map = new PhaseMap(senders, phases);
        this.stats = new StepStats[phases];
        for (int i = 0; i < phases; i++) {
            stats[i] = new StepStats(rooms);
        }
    }

    StepStats get(int phase) {
        return stats[phase];
    }

    int count() {
        return stats.length;
    }
}
