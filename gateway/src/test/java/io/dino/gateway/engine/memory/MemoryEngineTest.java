package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.EngineContract;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Draft;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Publication;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The memory engine passes the engine contract, plus its own retention bound. */
class MemoryEngineTest extends EngineContract {

    @Override
    protected Engine newEngine(String node, Duration maxAge) {
        return new Engine("memory", new MemoryBroker("epoch-1", 100, maxAge,
                new IdempotencyCache(Duration.ofMinutes(5), 1000, InstantSource.system()), InstantSource.system()),
                new MemoryPresenceStore());
    }

    @Test
    void aLogKeepsOnlyTheConfiguredNumberOfRecentPublications() {
        MemoryBroker broker = new MemoryBroker("e", 3, Duration.ZERO,
                new IdempotencyCache(Duration.ofMinutes(1), 10, InstantSource.system()), InstantSource.system());
        for (int i = 1; i <= 5; i++) {
            broker.publish(LogId.room("r"), new Draft("id" + i, "s", i, Integer.toString(i), ""));
        }
        assertThat(broker.latest(LogId.room("r"), 10)).extracting(p -> p.position().offset()).containsExactly(3L, 4L, 5L);
        assertThat(broker.top(LogId.room("r")).offset()).isEqualTo(5);
    }

    @Test
    void logsIdleLongerThanTheirLifetimeAreRemovedEvenIfNobodyUsesThemAgain() {
        AtomicLong now = new AtomicLong(1_000_000);
        InstantSource clock = () -> Instant.ofEpochMilli(now.get());
        // max-age 10 s: a log lives 20 s after its last publication
        MemoryBroker broker = new MemoryBroker("e", 3, Duration.ofSeconds(10), new IdempotencyCache(Duration.ofMinutes(1), 10, clock), clock);
        for (int i = 0; i < 1000; i++) {
            broker.publish(LogId.room("churn-" + i), new Draft("id" + i, "s", now.get(), "1", ""));
        }
        now.addAndGet(15_000);
        Publication kept = broker.publish(LogId.room("kept"), new Draft("k1", "s", now.get(), "1", ""));
        now.addAndGet(5_000);
        assertThat(broker.top(LogId.room("churn-0")).offset()).as("20 s idle: still within its lifetime").isEqualTo(1);

        now.addAndGet(1);
        broker.publish(LogId.room("kept"), new Draft("k2", "s", now.get(), "2", ""));

        assertThat(broker.logCount()).as("the sweep removed the idle logs").isEqualTo(1);
        assertThat(broker.top(LogId.room("kept"))).isEqualTo(new Position(kept.position().epoch(), 2));
    }

    @Test
    void readingLogsThatHaveNoPublicationsStoresNothing() {
        MemoryBroker broker = new MemoryBroker("e", 3, Duration.ZERO,
                new IdempotencyCache(Duration.ofMinutes(1), 10, InstantSource.system()), InstantSource.system());
        for (int i = 0; i < 100; i++) {
            LogId log = LogId.room("made-up-" + i);
            broker.top(log);
            broker.latest(log, 10);
            broker.recover(log, Position.EMPTY, 10);
            broker.recover(log, new Position("old", 4), 10);
            broker.subscribe(log);
            broker.unsubscribe(log);
        }
        assertThat(broker.logCount()).isZero();
    }
}
