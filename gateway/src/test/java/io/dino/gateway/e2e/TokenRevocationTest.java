package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.api.client.DinoBackendClient;
import io.dino.api.v1.MintTokenResponse;
import io.dino.api.v1.Revocation;
import io.dino.client.CloseStatus;
import io.dino.client.DinoClient;
import io.dino.client.DinoException;
import io.dino.client.EventRecorder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.dino.gateway.TestNode.TIMEOUT;
import static io.dino.gateway.e2e.AccessControlTest.refusal;
import static io.dino.gateway.e2e.TokenRevocationTestSupport.assertConnectRevoked;
import static io.dino.gateway.e2e.TokenRevocationTestSupport.assertRevoked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** Tokens.RevokeTokens and ListRevocations through real sockets (memory engine): by user and by token id. */
class TokenRevocationTest {

    @RegisterExtension
    static final OneNode single = OneNode.withDefaults();

    private static DinoClient connect(String token, EventRecorder events) {
        return DinoClient.builder(single.node().wsUri()).onEvent(events).connect(token).join();
    }

    @Test
    void revokingByUserClosesTheUsersSessionsAndRefusesOlderTokensWhileANewerOneWorks() throws Exception {
        String old = TokenLifetimeTest.mint(single.backend(), "tr-user", Duration.ofHours(1));
        EventRecorder first = new EventRecorder();
        DinoClient one = connect(old, first);
        EventRecorder second = new EventRecorder();
        DinoClient two = connect(single.node().token("tr-user"), second);
        EventRecorder bystanderEvents = new EventRecorder();
        DinoClient bystander = connect(single.node().token("tr-bystander"), bystanderEvents);

        long before = System.currentTimeMillis();
        assertThat(single.backend().revokeTokens("tr-user", null, null)).isEqualTo(2);
        long after = System.currentTimeMillis();
        assertRevoked(one, first);
        assertRevoked(two, second);
        assertThat(bystander.ping().join()).isNotNull();
        assertConnectRevoked(single.node().wsUri(), old);

        List<Revocation> listed = single.backend().listRevocations("tr-user");
        assertThat(listed).hasSize(1);
        assertThat(listed.getFirst().getTokenId()).isEmpty();
        assertThat(listed.getFirst().getIssuedBeforeMs()).isBetween(before, after);
        // kept for dino.auth.max-token-lifetime (default 24h) when RevokeTokens does not say until when
        assertThat(listed.getFirst().getUntilMs()).isBetween(before + Duration.ofHours(24).toMillis(), after + Duration.ofHours(24).toMillis());

        // iat is whole seconds: a token of the revocation's own second counts as issued before it; one of a later works
        long revokedSecond = after / 1000;
        await().atMost(TIMEOUT).until(() -> System.currentTimeMillis() / 1000 > revokedSecond);
        EventRecorder fresh = new EventRecorder();
        DinoClient renewed = connect(single.node().token("tr-user"), fresh);
        assertThat(renewed.ping().join()).isNotNull();
        // and an old token cannot be used to refresh either
        DinoException refused = refusal(renewed.refresh(old));
        assertThat(refused.name()).isEqualTo("TOKEN_REVOKED");
        assertThat(renewed.isOpen()).isTrue();
    }

    @Test
    void revokingOneTokenByIdClosesOnlyItsSessionsUntilItExpires() throws Exception {
        MintTokenResponse revoked = single.backend().mintToken("tr-id", List.of(), Map.of(), Duration.ofHours(1));
        MintTokenResponse kept = single.backend().mintToken("tr-id", List.of(), Map.of(), Duration.ofHours(1));
        assertThat(revoked.getTokenId()).isNotEmpty().isNotEqualTo(kept.getTokenId());
        EventRecorder revokedEvents = new EventRecorder();
        DinoClient gone = connect(revoked.getToken(), revokedEvents);
        EventRecorder keptEvents = new EventRecorder();
        DinoClient stays = connect(kept.getToken(), keptEvents);

        assertThat(single.backend().revokeTokens("tr-id", revoked.getTokenId(), Instant.ofEpochMilli(revoked.getExpiresAtMs())))
                .isEqualTo(1);
        assertRevoked(gone, revokedEvents);
        assertThat(stays.ping().join()).isNotNull();
        assertThat(keptEvents.events("disconnect")).isEmpty();
        assertConnectRevoked(single.node().wsUri(), revoked.getToken());
        connect(kept.getToken(), new EventRecorder()).ping().join();

        List<Revocation> listed = single.backend().listRevocations("tr-id");
        assertThat(listed).hasSize(1);
        assertThat(listed.getFirst().getTokenId()).isEqualTo(revoked.getTokenId());
        assertThat(listed.getFirst().getUntilMs()).isEqualTo(revoked.getExpiresAtMs());
        // revoking a token of someone not connected closes nothing; a refresh to a revoked token is refused
        DinoException refused = refusal(stays.refresh(revoked.getToken()));
        assertThat(refused.name()).isEqualTo("TOKEN_REVOKED");
        assertThat(stays.ping().join()).isNotNull();
    }

    @Test
    void revokeTokensNeedsAnApiKeyAndAValidUser() {
        try (DinoBackendClient keyless = DinoBackendClient.builder("127.0.0.1", single.node().grpcPort()).apiKey("wrong").build()) {
            StatusRuntimeException unauthenticated = catchThrowableOfType(StatusRuntimeException.class,
                    () -> keyless.revokeTokens("tr-x", null, null));
            assertThat(unauthenticated.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        }
        StatusRuntimeException invalid = catchThrowableOfType(StatusRuntimeException.class,
                () -> single.backend().revokeTokens("", null, null));
        assertThat(invalid.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        StatusRuntimeException badId = catchThrowableOfType(StatusRuntimeException.class,
                () -> single.backend().revokeTokens("tr-x", "has space", null));
        assertThat(badId.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        // tokens that have expired already: nothing to keep, nothing closed
        assertThat(single.backend().revokeTokens("tr-x", null, Instant.now().minusSeconds(5))).isZero();
        assertThat(single.backend().listRevocations("tr-x")).isEmpty();
    }

    @Test
    void aConnectWhoseTokenIsRevokedDoesNotLeaveTheUserOnline() throws Exception {
        String token = single.node().token("tr-ghost");
        single.backend().revokeTokens("tr-ghost", null, null);
        assertConnectRevoked(single.node().wsUri(), token);
        await().atMost(TIMEOUT).until(() -> !single.backend().onlineUsers().contains("tr-ghost"));
    }
}
