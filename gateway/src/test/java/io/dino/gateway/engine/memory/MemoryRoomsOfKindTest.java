package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.Directory;
import io.dino.gateway.engine.RoomsOfKindContract;

/** The memory engine's directory lists the rooms of a kind from its per-kind index. */
class MemoryRoomsOfKindTest extends RoomsOfKindContract {

    @Override
    protected Directory newDirectory() {
        return new MemoryDirectory();
    }
}
