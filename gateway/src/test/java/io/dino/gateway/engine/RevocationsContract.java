package io.dino.gateway.engine;

import io.dino.gateway.engine.Revocations.Revocation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What every engine's revoked tokens do; each engine's test supplies an empty store and a second node's view of it. */
public abstract class RevocationsContract {

    /** Revocations with nothing stored. */
    protected abstract Revocations newRevocations();

    /** The same store as another node of the cluster sees it (the memory engine: the same object). */
    protected abstract Revocations otherNodeOf(Revocations revocations);

    private Revocations revocations;
    private final Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
    private final Instant day = now.plus(Duration.ofDays(1));

    @BeforeEach
    void start() {
        revocations = newRevocations();
    }

    @Test
    void aRevocationByUserRevokesTokensIssuedBeforeItAndThoseThatDoNotSayAndNoOtherUsers() {
        Instant at = Instant.ofEpochSecond(now.getEpochSecond()).plusMillis(400);
        revocations.revokeUser("alice", at, day);
        Revocations other = otherNodeOf(revocations);

        assertThat(other.isRevoked("alice", "t1", Optional.of(at.minusSeconds(5)))).isTrue();
        // iat is whole seconds: a token of the revocation's second (before or after it) is revoked, the safe side
        assertThat(other.isRevoked("alice", "t1", Optional.of(Instant.ofEpochSecond(at.getEpochSecond())))).isTrue();
        assertThat(other.isRevoked("alice", "t1", Optional.of(Instant.ofEpochSecond(at.getEpochSecond() + 1)))).isFalse();
        assertThat(other.isRevoked("alice", "", Optional.empty())).isTrue();
        assertThat(other.isRevoked("bob", "t1", Optional.of(at.minusSeconds(5)))).isFalse();
        assertThat(other.of("alice")).containsExactly(new Revocation("", at, day));
        assertThat(other.of("bob")).isEmpty();
    }

    @Test
    void aRevocationByIdRevokesOnlyThatTokenOfThatUser() {
        revocations.revokeToken("alice", "tok-1", day);
        Revocations other = otherNodeOf(revocations);

        assertThat(other.isRevoked("alice", "tok-1", Optional.of(now.plusSeconds(60)))).isTrue();
        assertThat(other.isRevoked("alice", "tok-2", Optional.of(now.minusSeconds(60)))).isFalse();
        assertThat(other.isRevoked("alice", "", Optional.empty())).isFalse();
        assertThat(other.isRevoked("bob", "tok-1", Optional.empty())).isFalse();
        assertThat(other.of("alice")).containsExactly(new Revocation("tok-1", Instant.EPOCH, day));
    }

    @Test
    void aSecondRevocationKeepsTheLaterTimeAndTheLaterUntilAndTheListPutsTheOneByUserFirst() {
        Instant early = now.minusSeconds(100);
        revocations.revokeUser("alice", now, day);
        revocations.revokeUser("alice", early, day.plusSeconds(60));
        revocations.revokeToken("alice", "b-token", day);
        revocations.revokeToken("alice", "a-token", day.plusSeconds(5));
        revocations.revokeToken("alice", "a-token", day);

        assertThat(revocations.of("alice")).containsExactly(
                new Revocation("", now, day.plusSeconds(60)),
                new Revocation("a-token", Instant.EPOCH, day.plusSeconds(5)),
                new Revocation("b-token", Instant.EPOCH, day));
    }

    @Test
    void aRevocationIsForgottenAtItsUntil() {
        Instant soon = Instant.now().plusMillis(500);
        revocations.revokeUser("carol", Instant.now(), soon);
        revocations.revokeToken("carol", "t-soon", soon);
        revocations.revokeToken("carol", "t-later", day);
        assertThat(revocations.isRevoked("carol", "t-soon", Optional.of(now.plusSeconds(3600)))).isTrue();

        await().atMost(Duration.ofSeconds(5)).until(() -> !revocations.isRevoked("carol", "t-soon", Optional.of(now.minusSeconds(10))));
        assertThat(revocations.isRevoked("carol", "", Optional.empty())).isFalse();
        assertThat(revocations.of("carol")).containsExactly(new Revocation("t-later", Instant.EPOCH, day));
        // a later write drops the expired entries from the store too (the list never showed them)
        revocations.revokeToken("carol", "t-third", day);
        assertThat(revocations.of("carol")).extracting(Revocation::tokenId).containsExactly("t-later", "t-third");
    }
}
