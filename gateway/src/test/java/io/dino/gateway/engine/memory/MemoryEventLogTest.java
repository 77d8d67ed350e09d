package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.EventLog;
import io.dino.gateway.engine.EventLogContract;

/** The memory engine's events log passes the contract. */
class MemoryEventLogTest extends EventLogContract {

    @Override
    protected EventLog newLog(long maxLength) {
        return new MemoryEventLog(maxLength);
    }
}
