package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.EventLog;
import io.dino.gateway.events.DomainEvent;
import io.dino.gateway.events.EventType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The memory events log keeps no more of the events' text than its budget, dropping the oldest first. */
class MemoryEventLogBudgetTest {

    private static DomainEvent message(int n, int bodyChars) {
        return new DomainEvent(EventType.MESSAGE, n, "lobby", "alice", "", Map.of("body", "x".repeat(bodyChars)));
    }

    @Test
    void bigEventsAreDroppedOldestFirstToStayWithinTheBytes() throws InterruptedException {
        // each event costs about 2 × 10,000 characters: a 50,000-byte budget keeps the newest two
        MemoryEventLog log = new MemoryEventLog(1_000, 50_000);
        for (int n = 1; n <= 10; n++) {
            assertThat(log.append("node", message(n, 10_000))).isTrue();
        }

        EventLog.Page page = log.reader().read(EventLog.ORIGIN, 100, Duration.ZERO);

        assertThat(page.entries()).extracting(entry -> entry.event().timeMs()).containsExactly(9L, 10L);
        assertThat(log.last()).isEqualTo("10");
    }

    @Test
    void anEventOverTheWholeBudgetIsStillKeptAsTheNewest() throws InterruptedException {
        MemoryEventLog log = new MemoryEventLog(1_000, 1_000);
        log.append("node", message(1, 10));
        log.append("node", message(2, 100_000));

        EventLog.Page page = log.reader().read(EventLog.ORIGIN, 100, Duration.ZERO);

        assertThat(page.entries()).extracting(entry -> entry.event().timeMs()).containsExactly(2L);
    }
}
