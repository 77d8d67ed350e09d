package io.dino.gateway.engine;

import io.dino.gateway.engine.Receipts.Kind;
import io.dino.gateway.engine.Receipts.Marker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What every engine's receipts do; each engine's test supplies empty receipts and a second node's view of them. */
public abstract class ReceiptsContract {

    /** Receipts with nothing stored, kept for ever (no history max-age). */
    protected abstract Receipts newReceipts();

    /** The same receipts as another node of the cluster sees them (the memory engine: the same object). */
    protected abstract Receipts otherNodeOf(Receipts receipts);

    private static final LogId LOBBY = LogId.room("lobby");
    private static final LogId ALICE_INBOX = LogId.user("alice");

    private Receipts receipts;

    @BeforeEach
    void start() {
        receipts = newReceipts();
    }

    @Test
    void aMarkerNobodySetIsNoneAndReadingStoresNothing() {
        assertThat(receipts.marker(LOBBY, "alice")).isEqualTo(Marker.NONE);
        assertThat(receipts.markers(LOBBY)).isEmpty();
        assertThat(receipts.markers(LOBBY)).isEmpty();
    }

    @Test
    void aMarkAnswersTheMarkerBeforeAndAfterAndOtherNodesSeeIt() {
        Receipts.Change first = receipts.mark(LOBBY, "alice", Kind.DELIVERED, "e1", 3);
        assertThat(first.before()).isEqualTo(Marker.NONE);
        assertThat(first.after()).isEqualTo(new Marker("e1", 3, 0));
        assertThat(first.advanced(Kind.DELIVERED)).isTrue();
        assertThat(first.advanced(Kind.READ)).isFalse();

        Receipts.Change second = receipts.mark(LOBBY, "alice", Kind.DELIVERED, "e1", 5);
        assertThat(second.before()).isEqualTo(new Marker("e1", 3, 0));
        assertThat(second.after()).isEqualTo(new Marker("e1", 5, 0));

        Receipts other = otherNodeOf(receipts);
        assertThat(other.marker(LOBBY, "alice")).isEqualTo(new Marker("e1", 5, 0));
        assertThat(other.markers(LOBBY)).isEqualTo(Map.of("alice", new Marker("e1", 5, 0)));
    }

    @Test
    void markersOnlyGrowWithinAnEpoch() {
        receipts.mark(LOBBY, "alice", Kind.READ, "e1", 7);
        Receipts.Change lower = receipts.mark(LOBBY, "alice", Kind.READ, "e1", 4);
        assertThat(lower.after()).isEqualTo(new Marker("e1", 7, 7));
        assertThat(lower.advanced(Kind.READ)).isFalse();
        Receipts.Change lowerDelivered = receipts.mark(LOBBY, "alice", Kind.DELIVERED, "e1", 2);
        assertThat(lowerDelivered.after()).isEqualTo(new Marker("e1", 7, 7));
        assertThat(lowerDelivered.advanced(Kind.DELIVERED)).isFalse();
        assertThat(receipts.marker(LOBBY, "alice")).isEqualTo(new Marker("e1", 7, 7));
    }

    @Test
    void readRaisesDeliveredAndDeliveredLeavesReadAlone() {
        receipts.mark(ALICE_INBOX, "alice", Kind.DELIVERED, "e1", 2);
        assertThat(receipts.mark(ALICE_INBOX, "alice", Kind.READ, "e1", 4).after()).isEqualTo(new Marker("e1", 4, 4));
        assertThat(receipts.mark(ALICE_INBOX, "alice", Kind.DELIVERED, "e1", 9).after()).isEqualTo(new Marker("e1", 9, 4));
        assertThat(receipts.mark(ALICE_INBOX, "alice", Kind.READ, "e1", 6).after()).isEqualTo(new Marker("e1", 9, 6));
    }

    @Test
    void aMarkInAnotherEpochReplacesTheMarker() {
        receipts.mark(LOBBY, "alice", Kind.READ, "e1", 40);
        Receipts.Change change = receipts.mark(LOBBY, "alice", Kind.DELIVERED, "e2", 3);
        assertThat(change.before()).isEqualTo(new Marker("e1", 40, 40));
        assertThat(change.after()).isEqualTo(new Marker("e2", 3, 0));
        assertThat(change.advanced(Kind.DELIVERED)).isTrue();
        assertThat(new Marker("e1", 40, 40).in("e2")).isEqualTo(new Marker("e2", 0, 0));
    }

    @Test
    void markersAreKeptPerLogAndUserAndARoomIsNotAnInboxOfTheSameName() {
        receipts.mark(LOBBY, "alice", Kind.DELIVERED, "e1", 1);
        receipts.mark(LOBBY, "bob", Kind.READ, "e1", 2);
        receipts.mark(LogId.user("lobby"), "lobby", Kind.READ, "u1", 5);
        receipts.mark(LogId.room("other"), "alice", Kind.READ, "e9", 8);

        assertThat(receipts.markers(LOBBY)).isEqualTo(Map.of("alice", new Marker("e1", 1, 0), "bob", new Marker("e1", 2, 2)));
        assertThat(receipts.markers(LogId.user("lobby"))).isEqualTo(Map.of("lobby", new Marker("u1", 5, 5)));
        assertThat(receipts.marker(LogId.room("other"), "bob")).isEqualTo(Marker.NONE);
    }
}
