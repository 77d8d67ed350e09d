package io.dino.gateway.e2e;

import io.dino.client.DinoException;
import io.dino.client.DinoSession;
import io.dino.client.EventRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The Java {@link DinoSession} refreshes its token in place when the server says it is expiring (asking its token
 * supplier), so the connection outlives the token; and gives up for good when its token is revoked (memory engine).
 */
class TokenSessionTest {

    @RegisterExtension
    static final OneNode single = OneNode.withSettings(Map.of("dino.auth.expiry-warning", "PT2S", "dino.auth.clock-skew", "PT0S"));

    @Test
    void anExpiringTokenIsRefreshedFromTheSupplierAndTheConnectionOutlivesIt() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        // the first token lives 3s (warned at once or within a second), the ones after it an hour
        EventRecorder events = new EventRecorder();
        DinoSession session = DinoSession.builder(List.of(single.node().wsUri()), () -> TokenLifetimeTest.mint(single.backend(),
                "ts-user", asked.getAndIncrement() == 0 ? Duration.ofSeconds(3) : Duration.ofHours(1))).onEvent(events).build();
        try {
            session.start().join();
            long firstExpiry = session.connection().orElseThrow().connectResult().get("expiresAt").asLong();
            events.await("expiring", TIMEOUT);
            await().atMost(TIMEOUT).until(() -> asked.get() >= 2);

            await().atMost(TIMEOUT).until(() -> System.currentTimeMillis() > firstExpiry + 1_000);
            assertThat(session.isConnected()).isTrue();
            assertThat(session.connection().orElseThrow().ping().join()).isNotNull();
            assertThat(session.stats().connectAttempts()).isEqualTo(1);
            assertThat(events.events("disconnect")).isEmpty();
        } finally {
            session.close();
        }
    }

    @Test
    void aRevokedTokenEndsTheSessionForGood() {
        DinoSession session = DinoSession.builder(List.of(single.node().wsUri()), () -> single.node().token("ts-revoked")).build();
        try {
            session.start().join();
            assertThat(single.backend().revokeTokens("ts-revoked", null, null)).isEqualTo(1);
            CompletionException ended = catchThrowableOfType(CompletionException.class, () -> session.closeFuture().join());
            assertThat(ended.getCause()).isInstanceOfSatisfying(DinoException.class,
                    e -> assertThat(e.name()).isEqualTo("TOKEN_REVOKED"));
            assertThat(session.stats().connectAttempts()).isEqualTo(1);
        } finally {
            session.close();
        }
    }
}
