package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.Sanctions;
import io.dino.gateway.engine.Sanctions.Kind;
import io.dino.gateway.engine.Sanctions.Sanction;
import io.dino.gateway.engine.Sanctions.Target;
import io.dino.gateway.engine.SanctionsContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Redis engine's bans and mutes pass the sanctions contract against a real redis-server, plus their key layout. */
class RedisSanctionsTest extends SanctionsContract {

    @RegisterExtension
    static final RedisEngines redis = RedisEngines.onServer("sanctions");

    @Override
    protected Sanctions newSanctions() {
        return redis.newNode(Engine::sanctions);
    }

    @Override
    protected Sanctions otherNodeOf(Sanctions sanctions) {
        return redis.otherNodeOf(sanctions, Engine::sanctions);
    }

    @Test
    void sanctionsAreKeptInTheTargetsSlotAndBansIndexedInTheUsersSlot() {
        Sanctions sanctions = newSanctions();
        String prefix = redis.prefixOf(sanctions);
        sanctions.put(new Sanction(Kind.BAN, Target.room("lobby"), "bob", "mod", "spam", 5, 0));
        sanctions.put(new Sanction(Kind.MUTE, Target.room("lobby"), "bob", "mod", "", 5, 0));
        sanctions.put(new Sanction(Kind.BAN, Target.channel("games"), "bob", "mod", "", 5, 0));
        sanctions.put(new Sanction(Kind.BAN, Target.GLOBAL, "bob", "op", "", 5, 0));

        assertThat(redis.direct().hgetall(prefix + ":{r:lobby}:bans")).isEqualTo(Map.of("bob", "0\n5\nmod\nspam"));
        assertThat(redis.direct().hgetall(prefix + ":{r:lobby}:mutes")).containsOnlyKeys("bob");
        assertThat(redis.direct().hgetall(prefix + ":{c:games}:bans")).containsOnlyKeys("bob");
        assertThat(redis.direct().hgetall(prefix + ":{global}:bans")).containsOnlyKeys("bob");
        assertThat(redis.direct().smembers(prefix + ":{u:bob}:bans")).containsExactlyInAnyOrder("room|lobby", "channel|games", "global|");
    }

    @Test
    void anIndexEntryWithoutItsBanIsNotAnsweredAndIsDropped() {
        Sanctions sanctions = newSanctions();
        String prefix = redis.prefixOf(sanctions);
        sanctions.put(new Sanction(Kind.BAN, Target.room("lobby"), "bob", "mod", "", 5, 0));
        // a put that stopped after its index step, and an entry of a shape this version does not know
        redis.direct().sadd(prefix + ":{u:bob}:bans", "room|vip", "nonsense");

        assertThat(sanctions.bansOf("bob", 10)).extracting(Sanction::target).containsExactly(Target.room("lobby"));
        assertThat(redis.direct().smembers(prefix + ":{u:bob}:bans")).containsExactlyInAnyOrder("room|lobby", "nonsense");
    }
}
