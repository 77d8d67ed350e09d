package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.Roles;
import io.dino.gateway.engine.RolesContract;
import org.junit.jupiter.api.extension.RegisterExtension;


/**
 * The Redis engine's roles pass the roles contract on a Redis Cluster of three masters: the scope hashes and
 * the users' indexes lie in different slots, and every command and script must name keys of one.
 */
class RedisClusterRolesTest extends RolesContract {

    @RegisterExtension
    static final RedisEngines redis = RedisEngines.onCluster("cr");

    @Override
    protected Roles newRoles() {
        return redis.newNode(Engine::roles);
    }

    @Override
    protected Roles otherNodeOf(Roles roles) {
        return redis.otherNodeOf(roles, Engine::roles);
    }
}
