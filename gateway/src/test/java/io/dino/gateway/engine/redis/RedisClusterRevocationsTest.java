package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.Revocations;
import io.dino.gateway.engine.RevocationsContract;
import org.junit.jupiter.api.extension.RegisterExtension;


/** The Redis engine's revoked tokens pass the revocations contract on a Redis Cluster of three masters (one slot per user). */
class RedisClusterRevocationsTest extends RevocationsContract {

    @RegisterExtension
    static final RedisEngines redis = RedisEngines.onCluster("crev");

    @Override
    protected Revocations newRevocations() {
        return redis.newNode(Engine::revocations);
    }

    @Override
    protected Revocations otherNodeOf(Revocations revocations) {
        return redis.otherNodeOf(revocations, Engine::revocations);
    }
}
