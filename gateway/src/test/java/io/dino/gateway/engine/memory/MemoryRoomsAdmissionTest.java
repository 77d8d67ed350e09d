package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.RoomsAdmissionContract;

import java.time.Duration;
import java.time.InstantSource;

/** Capacity and membership events of the memory engine's joins (SteppedRooms). */
class MemoryRoomsAdmissionTest extends RoomsAdmissionContract {

    @Override
    protected Engine newEngine(String node) {
        return MemoryEngine.create(MemoryEngine.testBroker(Duration.ZERO), Duration.ZERO, InstantSource.system());
    }
}
