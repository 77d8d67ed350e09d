package io.dino.gateway.cluster;

import io.dino.api.v1.MintTokenResponse;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.dino.gateway.e2e.TokenRevocationTestSupport.assertConnectRevoked;
import static io.dino.gateway.e2e.TokenRevocationTestSupport.assertRevoked;
import static org.assertj.core.api.Assertions.assertThat;

/** A revocation issued through node A closes the user's sessions on node B at once and is checked there at connect (Redis engine). */
class TokenRevocationClusterTest {

    @RegisterExtension
    static final TwoRedisNodes cluster = TwoRedisNodes.withDefaults().withBackendClients();

    @Test
    void aRevocationByUserThroughNodeAClosesTheSessionsOnNodeBAndBRefusesTheOldToken() throws Exception {
        String old = cluster.b().token("trc-user");
        EventRecorder onBEvents = new EventRecorder();
        DinoClient onB = DinoClient.builder(cluster.b().wsUri()).onEvent(onBEvents).connect(old).join();
        EventRecorder onAEvents = new EventRecorder();
        DinoClient onA = cluster.a().client("trc-user", onAEvents);
        EventRecorder otherEvents = new EventRecorder();
        DinoClient other = cluster.b().client("trc-other", otherEvents);

        assertThat(cluster.backendOnA().revokeTokens("trc-user", "", null)).isEqualTo(2);
        assertRevoked(onB, onBEvents);
        assertRevoked(onA, onAEvents);
        assertThat(other.ping().join()).isNotNull();
        assertConnectRevoked(cluster.b().wsUri(), old);
        assertThat(cluster.backendOnA().listRevocations("trc-user")).hasSize(1);
    }

    @Test
    void aRevocationByIdThroughNodeAClosesOnlyThatTokensSessionOnNodeB() throws Exception {
        MintTokenResponse revoked = cluster.backendOnA().mintToken("trc-id", List.of(), Map.of(), Duration.ofHours(1));
        MintTokenResponse kept = cluster.backendOnA().mintToken("trc-id", List.of(), Map.of(), Duration.ofHours(1));
        EventRecorder goneEvents = new EventRecorder();
        DinoClient gone = DinoClient.builder(cluster.b().wsUri()).onEvent(goneEvents).connect(revoked.getToken()).join();
        EventRecorder keptEvents = new EventRecorder();
        DinoClient stays = DinoClient.builder(cluster.b().wsUri()).onEvent(keptEvents).connect(kept.getToken()).join();

        assertThat(cluster.backendOnA().revokeTokens("trc-id", revoked.getTokenId(),
                Instant.ofEpochMilli(revoked.getExpiresAtMs()))).isEqualTo(1);
        assertRevoked(gone, goneEvents);
        assertThat(stays.ping().join()).isNotNull();
        assertThat(keptEvents.events("disconnect")).isEmpty();
        assertConnectRevoked(cluster.b().wsUri(), revoked.getToken());
        assertConnectRevoked(cluster.a().wsUri(), revoked.getToken());
    }
}
