package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.Draft;
import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.engine.Tombstones.Mark;
import io.dino.gateway.engine.TombstonesContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Redis engine's tombstones pass the tombstones contract against a real redis-server, plus their keys and lifetime. */
class RedisTombstonesTest extends TombstonesContract {

    @RegisterExtension
    static final RedisEngines redis = RedisEngines.onServer("tomb").startingBrokers();

    @Override
    protected Engine newEngine() {
        return redis.newNode(e -> e);
    }

    @Override
    protected Engine otherNodeOf(Engine engine) {
        return redis.otherNodeOf(engine, e -> e);
    }

    @Test
    void tombstonesAreOneHashInTheRoomsSlotExpiringWithTheLogsItCoversUnderAMaxAge() {
        String prefix = redis.newPrefix();
        Engine engine = redis.engine("node-a", prefix, Duration.ofSeconds(10));
        Publication sent = engine.broker().publish(LogId.room("lobby"), new Draft("m1", "alice", System.currentTimeMillis(), "1", ""));
        engine.tombstones().deleteMessages("lobby", List.of(new Mark("m1", "alice", sent.position())));
        engine.tombstones().deleteAllUpTo("lobby", sent.position());

        String key = prefix + ":{r:lobby}:deleted";
        Position at = sent.position();
        assertThat(redis.direct().hgetall(key)).isEqualTo(Map.of("m:m1", at.epoch() + " " + at.offset() + " alice",
                "all", at.epoch() + " " + at.offset()));
        // twice the idle lifetime of a log with a max-age of 10 s (20 s)
        assertThat(redis.direct().pttl(key)).isBetween(30_000L, 40_000L);
    }

    @Test
    void withoutAMaxAgeTheTombstonesAreKept() {
        Engine engine = newEngine();
        Publication sent = engine.broker().publish(LogId.room("kept"), new Draft("k1", "bob", System.currentTimeMillis(), "1", ""));
        engine.tombstones().deleteUserUpTo("kept", "bob", sent.position());
        assertThat(redis.direct().pttl(redis.prefixOf(engine) + ":{r:kept}:deleted")).isEqualTo(-1L);
    }
}
