package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.Sanctions;
import io.dino.gateway.engine.SanctionsContract;

/** The memory engine's bans and mutes pass the sanctions contract (one node: the other node's view is the same object). */
class MemorySanctionsTest extends SanctionsContract {

    @Override
    protected Sanctions newSanctions() {
        return new MemorySanctions();
    }

    @Override
    protected Sanctions otherNodeOf(Sanctions sanctions) {
        return sanctions;
    }
}
