package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Receipts;
import io.dino.gateway.engine.ReceiptsContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Redis engine's receipts pass the receipts contract against a real redis-server, plus where they are kept. */
class RedisReceiptsTest extends ReceiptsContract {

    @RegisterExtension
    static final RedisEngines redis = RedisEngines.onServer("receipts");

    @Override
    protected Receipts newReceipts() {
        return redis.newNode(Engine::receipts);
    }

    @Override
    protected Receipts otherNodeOf(Receipts receipts) {
        return redis.otherNodeOf(receipts, Engine::receipts);
    }

    @Test
    void markersAreKeptInTheLogsSlotAndExpireWithTheLogsIdleLifetime() {
        String prefix = redis.newPrefix();
        Receipts receipts = redis.engine("node-a", prefix, Duration.ofHours(1)).receipts();
        receipts.mark(LogId.room("lobby"), "alice", Receipts.Kind.READ, "e1", 4);
        receipts.mark(LogId.user("bob"), "bob", Receipts.Kind.DELIVERED, "u1", 2);

        assertThat(redis.direct().hgetall(prefix + ":{r:lobby}:receipts")).isEqualTo(Map.of("alice", "e1 4 4"));
        assertThat(redis.direct().hgetall(prefix + ":{u:bob}:receipts")).isEqualTo(Map.of("bob", "u1 2 0"));
        // max-age one hour: the idle lifetime is the hour and a minute's margin
        assertThat(redis.direct().pttl(prefix + ":{r:lobby}:receipts")).isBetween(3_600_000L, 3_660_000L);
        // without a max-age logs are kept, and so are their markers
        receipts = newReceipts();
        receipts.mark(LogId.room("kept"), "alice", Receipts.Kind.READ, "e1", 1);
        assertThat(redis.direct().pttl(redis.prefixOf(receipts) + ":{r:kept}:receipts")).isEqualTo(-1L);
    }
}
