package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.Revocations;
import io.dino.gateway.engine.RevocationsContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The Redis engine's revoked tokens pass the revocations contract against a real redis-server, plus how they are kept. */
class RedisRevocationsTest extends RevocationsContract {

    @RegisterExtension
    static final RedisEngines redis = RedisEngines.onServer("rev");

    @Override
    protected Revocations newRevocations() {
        return redis.newNode(Engine::revocations);
    }

    @Override
    protected Revocations otherNodeOf(Revocations revocations) {
        return redis.otherNodeOf(revocations, Engine::revocations);
    }

    @Test
    void revocationsAreOneHashInTheUsersSlotThatExpiresWithItsLatestUntil() {
        Revocations revocations = newRevocations();
        String key = redis.prefixOf(revocations) + ":{u:dave}:revoked";
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        Instant inAnHour = now.plus(Duration.ofHours(1));
        Instant inTwoHours = now.plus(Duration.ofHours(2));
        revocations.revokeUser("dave", now, inAnHour);
        revocations.revokeToken("dave", "jti-1", inTwoHours);

        assertThat(redis.direct().hgetall(key)).isEqualTo(Map.of(
                "u", now.toEpochMilli() + " " + inAnHour.toEpochMilli(),
                "t:jti-1", Long.toString(inTwoHours.toEpochMilli())));
        assertThat(redis.direct().pexpiretime(key)).isEqualTo(inTwoHours.toEpochMilli());
        // a revocation that ends sooner does not shorten the hash's life
        revocations.revokeToken("dave", "jti-2", now.plusSeconds(60));
        assertThat(redis.direct().pttl(key)).isCloseTo(Duration.ofHours(2).toMillis(), within(5_000L));
    }
}
