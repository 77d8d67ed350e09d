package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.api.client.DinoBackendClient;
import io.dino.api.v1.MintTokenResponse;
import io.dino.client.CloseStatus;
import io.dino.client.DinoClient;
import io.dino.client.DinoException;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import io.dino.gateway.auth.AuthSettings;
import io.dino.gateway.auth.TokenMinter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;

import static io.dino.gateway.TestNode.TIMEOUT;
import static io.dino.gateway.e2e.AccessControlTest.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * Token expiry and in-place refresh through real sockets (memory engine): the {@code expiring} warning, the
 * TOKEN_EXPIRED disconnect at expiry, and {@code refresh}. The node warns 2s ahead and grants no clock skew, so a
 * token minted for 3s is warned about at once or within a second and ends the session within 3s.
 */
class TokenLifetimeTest {

    @RegisterExtension
    static final OneNode single = OneNode.withSettings(Map.of("dino.auth.expiry-warning", "PT2S", "dino.auth.clock-skew", "PT0S"));

    static String mint(DinoBackendClient backend, String user, Duration ttl) {
        return backend.mintToken(user, List.of(), Map.of(), ttl).getToken();
    }

    private static DinoClient connect(String token, EventRecorder events) {
        return DinoClient.builder(single.node().wsUri()).onEvent(events).connect(token).join();
    }

    @Test
    void aSessionIsWarnedBeforeItsTokenExpiresAndClosedWithTokenExpiredAtExpiry() throws Exception {
        EventRecorder events = new EventRecorder();
        DinoClient client = connect(mint(single.backend(), "tl-short", Duration.ofSeconds(3)), events);
        long expiresAt = client.connectResult().get("expiresAt").asLong();

        JsonNode expiring = events.await("expiring", TIMEOUT);
        long warnedAt = System.currentTimeMillis();
        assertThat(expiring.get("expiresAt").asLong()).isEqualTo(expiresAt);
        assertThat(expiring.get("in").asLong()).isBetween(0L, 2_000L);
        assertThat(warnedAt).isGreaterThanOrEqualTo(expiresAt - 2_000 - 50);
        assertThat(expiring.toString()).isEqualTo("{\"event\":\"expiring\",\"expiresAt\":" + expiresAt + ",\"in\":"
                + expiring.get("in").asLong() + "}");

        JsonNode disconnect = events.await("disconnect", TIMEOUT);
        assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(expiresAt);
        assertThat(disconnect.get("code").asInt()).isEqualTo(4012);
        assertThat(disconnect.get("name").asText()).isEqualTo("TOKEN_EXPIRED");
        assertThat(disconnect.get("reconnect").asBoolean()).isTrue();
        CloseStatus closed = client.closeFuture().get(TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        assertThat(closed.code()).isEqualTo(4012);
        assertThat(events.events("expiring")).hasSize(1);
    }

    @Test
    void aRefreshKeepsTheSessionPastItsFirstTokensExpiryWithTheNewTokensClaims() throws Exception {
        EventRecorder events = new EventRecorder();
        DinoClient client = connect(mint(single.backend(), "tl-refresh", Duration.ofSeconds(3)), events);
        long firstExpiry = client.connectResult().get("expiresAt").asLong();
        MintTokenResponse longer = single.backend().mintToken("tl-refresh", List.of("globalmod"), Map.of(), Duration.ofHours(1));

        JsonNode reply = client.refresh(longer.getToken()).join();
        assertThat(reply.toString()).isEqualTo("{\"expiresAt\":" + longer.getExpiresAtMs() + "}");

        // past the first token's expiry (and the timer it had) the session is still there
        await().atMost(TIMEOUT).until(() -> System.currentTimeMillis() > firstExpiry + 1_000);
        assertThat(client.ping().join()).isNotNull();
        assertThat(client.isOpen()).isTrue();
        assertThat(events.events("disconnect")).isEmpty();
        // the new token's roles apply: globalmod is an operator, who may kick in a room nobody granted anything in
        RoomSetup.staticRoom(single.node(), "tl-room", "Token room");
        assertThat(client.kick("tl-room", "tl-nobody", null).join().get("sessions").asInt()).isZero();
    }

    @Test
    void aRefreshWithAnotherUsersOrABadTokenIsRefusedAndTheSessionStays() {
        EventRecorder events = new EventRecorder();
        DinoClient client = connect(single.node().token("tl-own"), events);

        DinoException other = refusal(client.refresh(single.node().token("tl-other")));
        assertThat(other.name()).isEqualTo("NOT_ALLOWED");
        assertThat(other.getMessage()).isEqualTo("the token is for another user: a session keeps its user");
        DinoException bad = refusal(client.refresh("not-a-token"));
        assertThat(bad.name()).isEqualTo("INVALID_TOKEN");
        String expired = new TokenMinter(new AuthSettings(List.of(TestNode.SECRET), List.of(), Optional.empty(), Optional.empty(),
                Duration.ZERO, Duration.ofHours(1)), InstantSource.fixed(Instant.now().minus(Duration.ofHours(2))))
                .mint("tl-own", Set.of(), Map.of(), Duration.ZERO).token();
        DinoException stale = refusal(client.refresh(expired));
        assertThat(stale.name()).isEqualTo("TOKEN_EXPIRED");

        assertThat(client.ping().join()).isNotNull();
        assertThat(client.isOpen()).isTrue();
        assertThat(client.connectResult().get("user").asText()).isEqualTo("tl-own");
    }

    @Test
    void aRefreshWithATokenThatExpiresNoLaterIsNotWarnedAgainAndTheSessionEndsAtItsExpiry() throws Exception {
        EventRecorder events = new EventRecorder();
        String token = mint(single.backend(), "tl-same", Duration.ofSeconds(3));
        DinoClient client = connect(token, events);
        events.await("expiring", TIMEOUT);
        // a client that answers every warning with the token it has must not start a warn-refresh loop
        assertThat(client.refresh(token).join().get("expiresAt").asLong())
                .isEqualTo(client.connectResult().get("expiresAt").asLong());
        assertThat(events.await("disconnect", TIMEOUT).get("code").asInt()).isEqualTo(4012);
        assertThat(events.events("expiring")).hasSize(1);
    }

    @Test
    void aTokenWithLessThanTheWarningLeftIsWarnedRightAfterTheConnectReply() throws Exception {
        EventRecorder events = new EventRecorder();
        DinoClient client = connect(mint(single.backend(), "tl-now", Duration.ofSeconds(1)), events);
        JsonNode expiring = events.await("expiring", TIMEOUT);
        assertThat(expiring.get("expiresAt").asLong()).isEqualTo(client.connectResult().get("expiresAt").asLong());
        assertThat(expiring.get("in").asLong()).isLessThanOrEqualTo(1_000L);
    }

    @Test
    void refreshBeforeConnectIsNotAuthenticated() {
        DinoClient raw = single.node().rawClient(new EventRecorder());
        CompletionException failed = catchThrowableOfType(CompletionException.class,
                () -> raw.refresh(single.node().token("tl-raw")).join());
        assertThat(((DinoException) failed.getCause()).name()).isEqualTo("NOT_AUTHENTICATED");
    }
}
