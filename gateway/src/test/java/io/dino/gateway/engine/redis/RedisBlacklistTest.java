package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.Blacklist;
import io.dino.gateway.engine.BlacklistContract;
import io.dino.gateway.engine.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Redis engine's blacklist passes the blacklist contract against a real redis-server; its keys share one slot. */
class RedisBlacklistTest extends BlacklistContract {

    @RegisterExtension
    static final RedisEngines redis = RedisEngines.onServer("bl");

    @Override
    protected Blacklist newBlacklist() {
        return redis.newNode(Engine::blacklist);
    }

    @Override
    protected Blacklist otherNodeOf(Blacklist blacklist) {
        return redis.otherNodeOf(blacklist, Engine::blacklist);
    }

    @Test
    void theWordsAndTheVersionLiveInOneSlot() {
        Blacklist blacklist = newBlacklist();
        String prefix = redis.prefixOf(blacklist);
        blacklist.add(List.of("alpha", "beta"));
        assertThat(redis.direct().smembers(prefix + ":{blacklist}:words")).containsExactlyInAnyOrder("alpha", "beta");
        assertThat(redis.direct().get(prefix + ":{blacklist}:version")).isEqualTo("1");
    }
}
