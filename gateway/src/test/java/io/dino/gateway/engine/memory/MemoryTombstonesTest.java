package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.RecordingListener;
import io.dino.gateway.engine.TombstonesContract;

import java.time.Duration;
import java.time.InstantSource;

/** The memory engine's tombstones pass the tombstones contract (one node: the other node's view is the same engine). */
class MemoryTombstonesTest extends TombstonesContract {

    @Override
    protected Engine newEngine() {
        MemoryBroker broker = new MemoryBroker("epoch-1", 100, Duration.ZERO, Long.MAX_VALUE,
                new IdempotencyCache(Duration.ofMinutes(5), 1000, InstantSource.system()), InstantSource.system());
        Engine engine = MemoryEngine.create(broker, Duration.ZERO, InstantSource.system());
        broker.start(new RecordingListener());
        return engine;
    }

    @Override
    protected Engine otherNodeOf(Engine engine) {
        return engine;
    }
}
