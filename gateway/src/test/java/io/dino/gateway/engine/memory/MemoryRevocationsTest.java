package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.Revocations;
import io.dino.gateway.engine.RevocationsContract;

import java.time.InstantSource;

/** The memory engine's revoked tokens pass the revocations contract (one node: the other node's view is the same object). */
class MemoryRevocationsTest extends RevocationsContract {

    @Override
    protected Revocations newRevocations() {
        return new MemoryRevocations(InstantSource.system());
    }

    @Override
    protected Revocations otherNodeOf(Revocations revocations) {
        return revocations;
    }
}
