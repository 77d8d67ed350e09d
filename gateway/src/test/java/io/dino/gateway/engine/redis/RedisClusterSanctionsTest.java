package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.Sanctions;
import io.dino.gateway.engine.SanctionsContract;
import org.junit.jupiter.api.extension.RegisterExtension;


/**
 * The Redis engine's bans and mutes pass the sanctions contract on a Redis Cluster of three masters: targets' hashes
 * and users' indexes lie in different slots, and every command and script must name keys of one.
 */
class RedisClusterSanctionsTest extends SanctionsContract {

    @RegisterExtension
    static final RedisEngines redis = RedisEngines.onCluster("cs");

    @Override
    protected Sanctions newSanctions() {
        return redis.newNode(Engine::sanctions);
    }

    @Override
    protected Sanctions otherNodeOf(Sanctions sanctions) {
        return redis.otherNodeOf(sanctions, Engine::sanctions);
    }
}
