package io.dino.loadgen;

import org.junit.jupiter.api.Test;

import static io.dino.loadgen.SequenceTracker.Outcome.DUPLICATE;
import static io.dino.loadgen.SequenceTracker.Outcome.LATE;
import static io.dino.loadgen.SequenceTracker.Outcome.NEW;
import static io.dino.loadgen.SequenceTracker.Outcome.UNTRACKED;
import static org.assertj.core.api.Assertions.assertThat;

class SequenceTrackerTest {

    private final SequenceTracker tracker = new SequenceTracker();

    @Test
    void inOrderArrivalsAreNew() {
        for (long s = 0; s < 100; s++) {
            assertThat(tracker.accept(s)).isEqualTo(NEW);
        }
        assertThat(tracker.next()).isEqualTo(100);
        assertThat(tracker.missing()).isZero();
    }

    @Test
    void repeatsAreDuplicates() {
        tracker.accept(0);
        tracker.accept(1);

        assertThat(tracker.accept(1)).isEqualTo(DUPLICATE);
        assertThat(tracker.accept(0)).isEqualTo(DUPLICATE);
    }

    @Test
    void aNumberFillingAGapIsLateOnceThenADuplicate() {
        tracker.accept(0);
        assertThat(tracker.accept(4)).isEqualTo(NEW); // 1, 2, 3 missing
        assertThat(tracker.missing()).isEqualTo(3);

        assertThat(tracker.accept(2)).isEqualTo(LATE);
        assertThat(tracker.accept(2)).isEqualTo(DUPLICATE);
        assertThat(tracker.missing()).isEqualTo(2);
        assertThat(tracker.accept(1)).isEqualTo(LATE);
        assertThat(tracker.accept(3)).isEqualTo(LATE);
        assertThat(tracker.missing()).isZero();
        assertThat(tracker.accept(4)).isEqualTo(DUPLICATE);
        assertThat(tracker.accept(5)).isEqualTo(NEW);
    }

    @Test
    void aFirstArrivalAboveZeroLeavesTheStartMissing() {
        assertThat(tracker.accept(3)).isEqualTo(NEW);
        assertThat(tracker.missing()).isEqualTo(3);
        assertThat(tracker.accept(0)).isEqualTo(LATE);
    }

    @Test
    void neverDeliveredNumbersStayMissing() {
        // Sends 1 and 3 failed and were never stored.
        tracker.accept(0);
        tracker.accept(2);
        tracker.accept(4);
        tracker.accept(5);

        assertThat(tracker.missing()).isEqualTo(2);
    }

    @Test
    void forgetsTheOldestGapsBeyondTheLimit() {
        // Every other number lost: one gap each.
        for (long s = 0; s <= 2L * (SequenceTracker.MAX_GAPS + 10); s += 2) {
            tracker.accept(s);
        }
        assertThat(tracker.missing()).isEqualTo(SequenceTracker.MAX_GAPS);

        assertThat(tracker.accept(1)).isEqualTo(UNTRACKED); // its gap was forgotten
        assertThat(tracker.accept(2L * (SequenceTracker.MAX_GAPS + 10) - 1)).isEqualTo(LATE); // a recent gap
        assertThat(tracker.accept(2L * (SequenceTracker.MAX_GAPS + 10))).isEqualTo(DUPLICATE);
    }
}
