package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.Blacklist;
import io.dino.gateway.engine.BlacklistContract;

/** The memory engine's blacklist passes the blacklist contract (one node: the other node's view is the same object). */
class MemoryBlacklistTest extends BlacklistContract {

    @Override
    protected Blacklist newBlacklist() {
        return new MemoryBlacklist();
    }

    @Override
    protected Blacklist otherNodeOf(Blacklist blacklist) {
        return blacklist;
    }
}
