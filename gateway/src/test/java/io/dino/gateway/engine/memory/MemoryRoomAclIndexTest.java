package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.RoomAclIndexContract;

import java.time.Duration;
import java.time.InstantSource;

/** The memory engine answers which rooms have a rule for an action from its map of rules. */
class MemoryRoomAclIndexTest extends RoomAclIndexContract {

    @Override
    protected Engine newEngine(String node, Duration maxAge) {
        return new Engine("memory", new MemoryBroker("epoch-1", 100, maxAge, Long.MAX_VALUE,
                new IdempotencyCache(Duration.ofMinutes(5), 1000, InstantSource.system()), InstantSource.system()),
                new MemoryPresenceStore(InstantSource.system()), new MemoryRoomAcls(), new MemoryRoles(), new MemoryDirectory(), new MemoryRevocations(InstantSource.system()));
    }
}
