package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.EngineContract;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Draft;
import io.dino.gateway.engine.Position;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.InstantSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The memory engine passes the engine contract, plus its own retention bound. */
class MemoryEngineTest extends EngineContract {

    @Override
    protected Engine newEngine(String node) {
        return new Engine("memory", new MemoryBroker("epoch-1", 100,
                new IdempotencyCache(Duration.ofMinutes(5), 1000, InstantSource.system())), new MemoryPresenceStore());
    }

    @Test
    void aLogKeepsOnlyTheConfiguredNumberOfRecentPublications() {
        MemoryBroker broker = new MemoryBroker("e", 3, new IdempotencyCache(Duration.ofMinutes(1), 10, InstantSource.system()));
        for (int i = 1; i <= 5; i++) {
            broker.publish(LogId.room("r"), new Draft("id" + i, "s", i, Integer.toString(i), ""));
        }
        assertThat(broker.latest(LogId.room("r"), 10)).extracting(p -> p.position().offset()).containsExactly(3L, 4L, 5L);
        assertThat(broker.top(LogId.room("r")).offset()).isEqualTo(5);
    }

    @Test
    void readingLogsThatHaveNoPublicationsStoresNothing() {
        MemoryBroker broker = new MemoryBroker("e", 3, new IdempotencyCache(Duration.ofMinutes(1), 10, InstantSource.system()));
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
