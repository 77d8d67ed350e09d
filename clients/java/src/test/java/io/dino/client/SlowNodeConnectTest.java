package io.dino.client;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A node too slow to answer — its accept queue overflowed, it froze, it could not read the {@code connect} in
 * time — must neither hold a client forever nor make a session give up.
 */
class SlowNodeConnectTest {

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
    void openingFailsWhenTheTcpConnectIsNotAnsweredWithinTheConnectTimeout() throws Exception {
        // A full accept queue: the kernel drops further SYNs, so the TCP connect itself hangs.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> queued = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket socket = new Socket();
                    try {
                        socket.connect(full.getLocalSocketAddress(), 200);
                        queued.add(socket);
                    } catch (java.net.SocketTimeoutException e) {
                        socket.close();
                        break; // the queue is full now
                    }
                }
                URI uri = URI.create("ws://127.0.0.1:" + full.getLocalPort() + "/ws");

                CompletableFuture<DinoClient> opening = DinoClient.builder(uri).connectTimeout(Duration.ofMillis(300)).open();

                assertThatThrownBy(() -> opening.get(10, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(java.net.http.HttpTimeoutException.class);
            } finally {
                for (Socket socket : queued) {
                    socket.close();
                }
            }
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

    @Test
    void anAuthTimeoutAfterTheConnectWasSentIsRetriedButOtherRefusalsAreFinal() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();

        assertThat(DinoSession.reconnectsAfter(json.readTree(
                "{\"event\":\"disconnect\",\"code\":4010,\"name\":\"NOT_AUTHENTICATED\",\"reason\":\"no connect within 10s\",\"reconnect\":false}")))
                .isTrue();
        assertThat(DinoSession.reconnectsAfter(json.readTree(
                "{\"event\":\"disconnect\",\"code\":4090,\"name\":\"DISCONNECTED\",\"reason\":\"banned\",\"reconnect\":false}")))
                .isFalse();
        assertThat(DinoSession.reconnectsAfter(json.readTree(
                "{\"event\":\"disconnect\",\"code\":5031,\"name\":\"SHUTTING_DOWN\",\"reason\":\"bye\",\"reconnect\":true}")))
                .isTrue();
        // REPLACED (the single-session rule) is final even if a server said otherwise: two tabs would fight
        assertThat(DinoSession.reconnectsAfter(json.readTree(
                "{\"event\":\"disconnect\",\"code\":4091,\"name\":\"REPLACED\",\"reason\":\"logged in elsewhere\",\"reconnect\":true}")))
                .isFalse();
    }
}
