package io.dino.client;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A node that accepts the TCP connection but never answers the WebSocket upgrade — what a client sees when
 * the node's accept queue overflowed, or the node froze — must not hold the client forever.
 */
class UnansweredHandshakeTest {

    @Test
    void openingFailsWhenTheUpgradeIsNotAnsweredWithinTheConnectTimeout() throws Exception {
        // Never accepted: the kernel completes the TCP handshake and queues the connection, nobody reads it.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            URI uri = URI.create("ws://127.0.0.1:" + silent.getLocalPort() + "/ws");

            CompletableFuture<DinoClient> opening = DinoClient.builder(uri).connectTimeout(Duration.ofMillis(300)).open();

            assertThatThrownBy(() -> opening.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(java.net.http.HttpTimeoutException.class);
        }
    }

    @Test
    void aSessionMovesOnToTheNextNodeWhenTheUpgradeIsNotAnswered() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ServerSocket alsoSilent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            DinoSession session = DinoSession.builder(List.of(
                            URI.create("ws://127.0.0.1:" + silent.getLocalPort() + "/ws"),
                            URI.create("ws://127.0.0.1:" + alsoSilent.getLocalPort() + "/ws")), () -> "token")
                    .connectTimeout(Duration.ofMillis(200))
                    .reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(20))
                    .build();
            try {
                session.start();
                // Each unanswered upgrade counts as a failed attempt, and the session goes on trying.
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> session.stats().connectAttempts() >= 4);
                assertThat(session.stats().reconnects()).isZero();
            } finally {
                session.close();
            }
        }
    }
}
