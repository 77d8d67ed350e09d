package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.Directory;
import io.dino.gateway.engine.DirectoryContract;

/** The memory engine's directory passes the directory contract. */
class MemoryDirectoryTest extends DirectoryContract {

    @Override
    protected Directory newDirectory() {
        return new MemoryDirectory();
    }
}
