package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.Broker;
import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.EventLog;
import io.dino.gateway.engine.PresenceStore;
import io.dino.gateway.engine.Retention;

import java.time.Duration;
import java.time.InstantSource;

/** The in-memory engine: every part over one broker, for a node on its own (and for the engine's tests). */
public final class MemoryEngine {

    private MemoryEngine() {
    }

    /** @param maxAge the logs' retention by age (zero: none), which also bounds what belongs to idle logs */
    public static Engine create(MemoryBroker broker, Duration maxAge, InstantSource clock) {
        return create(broker, maxAge, EventLog.NONE, clock);
    }

    /** @param events where the node's domain events go (docs/events.md) */
    public static Engine create(MemoryBroker broker, Duration maxAge, EventLog events, InstantSource clock) {
        return create(broker, new MemoryPresenceStore(clock), new MemoryRoles(), new MemoryDirectory(), maxAge, events, clock);
    }

    /** An engine over parts a test also holds on to (any broker: tests put gates in front of one). */
    public static Engine create(Broker broker, PresenceStore presence, MemoryRoles roles, MemoryDirectory directory,
                                Duration maxAge, InstantSource clock) {
        return create(broker, presence, roles, directory, maxAge, EventLog.NONE, clock);
    }

    private static Engine create(Broker broker, PresenceStore presence, MemoryRoles roles, MemoryDirectory directory,
                                 Duration maxAge, EventLog events, InstantSource clock) {
        return new Engine("memory", broker, presence, new MemoryRoomAcls(), roles, directory,
                new MemoryReceipts(Retention.idleLifetime(maxAge), clock), new MemoryTombstones(broker), new MemoryBlacklist(),
                events, new MemorySanctions(), new MemoryRevocations(clock), new MemoryNodes());
    }

    /** A broker for tests: epoch {@code epoch-1}, 100 messages per log, no memory budget, the system clock. */
    public static MemoryBroker testBroker(Duration maxAge) {
        return new MemoryBroker("epoch-1", 100, maxAge, Long.MAX_VALUE,
                new IdempotencyCache(Duration.ofMinutes(5), 1000, InstantSource.system()), InstantSource.system());
    }
}
