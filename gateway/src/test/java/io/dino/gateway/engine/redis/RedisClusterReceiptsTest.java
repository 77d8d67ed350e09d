package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.Receipts;
import io.dino.gateway.engine.ReceiptsContract;
import org.junit.jupiter.api.extension.RegisterExtension;


/**
 * The Redis engine's receipts pass the receipts contract on a Redis Cluster of three masters: every command and
 * script names keys of one slot (the log's).
 */
class RedisClusterReceiptsTest extends ReceiptsContract {

    @RegisterExtension
    static final RedisEngines redis = RedisEngines.onCluster("crr");

    @Override
    protected Receipts newReceipts() {
        return redis.newNode(Engine::receipts);
    }

    @Override
    protected Receipts otherNodeOf(Receipts receipts) {
        return redis.otherNodeOf(receipts, Engine::receipts);
    }
}
