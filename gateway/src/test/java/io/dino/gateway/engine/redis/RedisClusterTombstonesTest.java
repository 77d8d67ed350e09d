package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.TombstonesContract;
import org.junit.jupiter.api.extension.RegisterExtension;


/**
 * The Redis engine's tombstones pass the tombstones contract on a Redis Cluster of three masters: the script names
 * the tombstones, the log's meta and its stream, which must share the room's slot.
 */
class RedisClusterTombstonesTest extends TombstonesContract {

    @RegisterExtension
    static final RedisEngines redis = RedisEngines.onCluster("ct").startingBrokers();

    @Override
    protected Engine newEngine() {
        return redis.newNode(e -> e);
    }

    @Override
    protected Engine otherNodeOf(Engine engine) {
        return redis.otherNodeOf(engine, e -> e);
    }
}
