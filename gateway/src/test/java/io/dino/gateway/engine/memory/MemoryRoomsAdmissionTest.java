package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.RoomsAdmissionContract;

import java.time.Duration;
import java.time.InstantSource;

/** Capacity and membership events of the memory engine's joins (SteppedRooms). */
class MemoryRoomsAdmissionTest extends RoomsAdmissionContract {

    @Override
    protected Engine newEngine(String node) {
        return new Engine("memory", new MemoryBroker("epoch-1", 100, Duration.ZERO, Long.MAX_VALUE,
                new IdempotencyCache(Duration.ofMinutes(5), 1000, InstantSource.system()), InstantSource.system()),
                new MemoryPresenceStore(InstantSource.system()), new MemoryRoomAcls(), new MemoryRoles(), new MemoryDirectory(), new MemoryRevocations(InstantSource.system()));
    }
}
