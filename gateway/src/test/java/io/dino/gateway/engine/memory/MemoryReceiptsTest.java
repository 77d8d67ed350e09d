package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Receipts;
import io.dino.gateway.engine.ReceiptsContract;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The memory engine's receipts pass the receipts contract (one node: the other node's view is the same object). */
class MemoryReceiptsTest extends ReceiptsContract {

    @Override
    protected Receipts newReceipts() {
        return new MemoryReceipts(Duration.ZERO, InstantSource.system());
    }

    @Override
    protected Receipts otherNodeOf(Receipts receipts) {
        return receipts;
    }

    @Test
    void aLogsMarkersGoOnceItWasNotMarkedForTheLifetimeAndEachMarkKeepsThemAll() {
        AtomicLong now = new AtomicLong(1_000_000);
        InstantSource clock = () -> Instant.ofEpochMilli(now.get());
        MemoryReceipts receipts = new MemoryReceipts(Duration.ofSeconds(10), clock);
        LogId lobby = LogId.room("lobby");
        receipts.mark(lobby, "alice", Receipts.Kind.READ, "e1", 3);
        now.addAndGet(9_000);
        receipts.mark(lobby, "bob", Receipts.Kind.DELIVERED, "e1", 4);
        now.addAndGet(9_000);
        assertThat(receipts.marker(lobby, "alice")).isEqualTo(new Receipts.Marker("e1", 3, 3));

        now.addAndGet(1_000);
        assertThat(receipts.marker(lobby, "alice")).isEqualTo(Receipts.Marker.NONE);
        assertThat(receipts.markers(lobby)).isEmpty();
    }
}
