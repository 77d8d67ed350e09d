package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.Roles;
import io.dino.gateway.engine.RolesContract;

/** The memory engine's roles pass the roles contract (one node: the other node's view is the same object). */
class MemoryRolesTest extends RolesContract {

    @Override
    protected Roles newRoles() {
        return new MemoryRoles();
    }

    @Override
    protected Roles otherNodeOf(Roles roles) {
        return roles;
    }
}
