package io.dino.gateway.cluster;

import io.dino.api.client.DinoBackendClient;
import io.dino.api.v1.MintTokenResponse;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.dino.gateway.e2e.TokenRevocationTestSupport.assertConnectRevoked;
import static io.dino.gateway.e2e.TokenRevocationTestSupport.assertRevoked;
import static org.assertj.core.api.Assertions.assertThat;

/** A revocation issued through node A closes the user's sessions on node B at once and is checked there at connect (Redis engine). */
class TokenRevocationClusterTest {

    private static RedisServer redis;
    private static TestNode a;
    private static TestNode b;
    private static DinoBackendClient backendOnA;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        a = node("a");
        b = node("b");
        backendOnA = DinoBackendClient.builder("127.0.0.1", a.grpcPort()).apiKey(TestNode.API_KEY).build();
    }

    private static TestNode node(String id) {
        return TestNode.start(Map.of("dino.engine", "redis", "dino.redis.uri", redis.uri(), "dino.node-id", id,
                "dino.cluster.heartbeat-interval", "PT0.5S", "dino.cluster.node-timeout", "PT5S"));
    }

    @AfterAll
    static void stop() {
        backendOnA.close();
        a.close();
        b.close();
        redis.close();
    }

    @Test
    void aRevocationByUserThroughNodeAClosesTheSessionsOnNodeBAndBRefusesTheOldToken() throws Exception {
        String old = b.token("trc-user");
        EventRecorder onBEvents = new EventRecorder();
        DinoClient onB = DinoClient.builder(b.wsUri()).onEvent(onBEvents).connect(old).join();
        EventRecorder onAEvents = new EventRecorder();
        DinoClient onA = a.client("trc-user", onAEvents);
        EventRecorder otherEvents = new EventRecorder();
        DinoClient other = b.client("trc-other", otherEvents);

        assertThat(backendOnA.revokeTokens("trc-user", "", null)).isEqualTo(2);
        assertRevoked(onB, onBEvents);
        assertRevoked(onA, onAEvents);
        assertThat(other.ping().join()).isNotNull();
        assertConnectRevoked(b.wsUri(), old);
        assertThat(backendOnA.listRevocations("trc-user")).hasSize(1);
    }

    @Test
    void aRevocationByIdThroughNodeAClosesOnlyThatTokensSessionOnNodeB() throws Exception {
        MintTokenResponse revoked = backendOnA.mintToken("trc-id", List.of(), Map.of(), Duration.ofHours(1));
        MintTokenResponse kept = backendOnA.mintToken("trc-id", List.of(), Map.of(), Duration.ofHours(1));
        EventRecorder goneEvents = new EventRecorder();
        DinoClient gone = DinoClient.builder(b.wsUri()).onEvent(goneEvents).connect(revoked.getToken()).join();
        EventRecorder keptEvents = new EventRecorder();
        DinoClient stays = DinoClient.builder(b.wsUri()).onEvent(keptEvents).connect(kept.getToken()).join();

        assertThat(backendOnA.revokeTokens("trc-id", revoked.getTokenId(), Instant.ofEpochMilli(revoked.getExpiresAtMs())))
                .isEqualTo(1);
        assertRevoked(gone, goneEvents);
        assertThat(stays.ping().join()).isNotNull();
        assertThat(keptEvents.events("disconnect")).isEmpty();
        assertConnectRevoked(b.wsUri(), revoked.getToken());
        assertConnectRevoked(a.wsUri(), revoked.getToken());
    }
}
