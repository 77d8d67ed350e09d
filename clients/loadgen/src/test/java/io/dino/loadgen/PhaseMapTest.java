package io.dino.loadgen;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PhaseMapTest {

    @Test
    void findsThePhaseEachSequenceWasSentIn() {
        PhaseMap map = new PhaseMap(2, 4);
        map.begin(0, 0, 0);    // warm-up: 0..49
        map.begin(0, 1, 50);   // step 1: 50..149
        map.begin(0, 2, 150);  // step 2: 150..
        map.begin(1, 1, 0);    // sender 1 skipped the warm-up

        assertThat(map.phaseOf(0, 0)).isZero();
        assertThat(map.phaseOf(0, 49)).isZero();
        assertThat(map.phaseOf(0, 50)).isEqualTo(1);
        assertThat(map.phaseOf(0, 149)).isEqualTo(1);
        assertThat(map.phaseOf(0, 150)).isEqualTo(2);
        assertThat(map.phaseOf(0, 1_000_000)).isEqualTo(2);
        assertThat(map.phaseOf(1, 0)).isEqualTo(1);
    }

    @Test
    void aPhaseWithoutSendsGivesWayToTheNext() {
        PhaseMap map = new PhaseMap(1, 3);
        map.begin(0, 1, 10);
        map.begin(0, 2, 10); // sent nothing in phase 1

        assertThat(map.phaseOf(0, 10)).isEqualTo(2);
    }

    @Test
    void unknownSendersAndSequencesBeforeEveryPhaseHaveNoPhase() {
        PhaseMap map = new PhaseMap(1, 2);
        assertThat(map.phaseOf(0, 0)).isEqualTo(-1);
        map.begin(0, 1, 5);

        assertThat(map.phaseOf(0, 4)).isEqualTo(-1);
        assertThat(map.phaseOf(1, 5)).isEqualTo(-1);
        assertThat(map.phaseOf(-1, 5)).isEqualTo(-1);
    }
}
