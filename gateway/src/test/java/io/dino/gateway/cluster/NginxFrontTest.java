package io.dino.gateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.api.client.DinoBackendClient;
import io.dino.client.DinoClient;
import io.dino.client.DinoSession;
import io.dino.client.Recovery;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes on the Redis engine behind a real nginx running {@code config/nginx/dino.conf}: clients chat
 * over {@code wss://} through it (TLS ends in nginx, no sticky sessions: least_conn spreads them over both
 * nodes), a backend publishes through nginx's gRPC port over TLS, and one node is lost mid-stream, once
 * by SIGTERM (graceful drain) and once by SIGKILL. Its clients reconnect through nginx, which sends them to
 * the other node, and recover: every message arrives exactly once, in order.
 */
class NginxFrontTest {

    private static final int MESSAGES = 150;
    private static final int SUBSCRIBERS = 4;

    enum Loss { SIGTERM, SIGKILL }

    @ParameterizedTest
    @EnumSource(Loss.class)
    void clientsOfALostNodeRecoverEverythingThroughNginx(Loss loss) throws Exception {
        Map<String, String> cluster = Map.of("dino.cluster.heartbeat-interval", "PT0.5S", "dino.cluster.node-timeout", "PT3S",
                "dino.trusted-proxies.0", "127.0.0.1", "dino.admin.enabled", "true");
        try (RedisServer redis = RedisServer.start();
             Nodes nodes = Nodes.start(redis.uri(), cluster);
             NginxProcess nginx = NginxProcess.start(List.of(nodes.victim, nodes.survivor))) {
            NodeProcess victim = nodes.victim;
            URI front = URI.create("wss://127.0.0.1:" + nginx.httpsPort() + "/ws");
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(nginx.certificate())).build();

            // Host and Origin stay consistent through nginx: the public origin is the node's own, others are refused
            DinoClient.builder(front).httpClient(https).header("Origin", "https://127.0.0.1:" + nginx.httpsPort())
                    .connect(NodeProcess.token("browser")).get(30, TimeUnit.SECONDS).close();
            assertThatThrownBy(() -> DinoClient.builder(front).httpClient(https).header("Origin", "https://evil.example")
                    .connect(NodeProcess.token("browser")).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasStackTraceContaining("403");

            List<Subscriber> subscribers = new ArrayList<>();
            for (int i = 0; i < SUBSCRIBERS; i++) {
                Subscriber subscriber = new Subscriber("user" + i, front, https);
                subscribers.add(subscriber);
                subscriber.session.start().get(30, TimeUnit.SECONDS);
                subscriber.session.join("stream").get(30, TimeUnit.SECONDS);
            }
            // nginx passes each client's address on and the nodes trust it: the address nginx saw, not nginx's port
            for (NodeProcess node : List.of(nodes.victim, nodes.survivor)) {
                // awaited: the origin checks' sessions above may still be closing
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(peers(node))
                        .as("session addresses on %s", node).hasSize(SUBSCRIBERS / 2).containsOnly("127.0.0.1"));
            }
            List<Subscriber> onVictim = subscribers.stream().filter(s -> s.node().equals("victim")).toList();
            assertThat(onVictim).as("clients nginx sent to the victim (no stickiness, least_conn)")
                    .hasSize(SUBSCRIBERS / 2);

            try (DinoBackendClient backend = DinoBackendClient.builder("127.0.0.1", nginx.grpcPort())
                    .trustedCertificates(nginx.certificate()).apiKey(NodeProcess.API_KEY).build()) {
                for (int sequence = 0; sequence < MESSAGES; sequence++) {
                    if (sequence == MESSAGES / 3) {
                        int exit = loss == Loss.SIGTERM ? victim.stop() : victim.kill();
                        assertThat(exit).isEqualTo(loss == Loss.SIGTERM ? 143 : 137);
                    }
                    backend.publishToRoom("stream", "{\"seq\":" + sequence + "}");
                    if (sequence % 10 == 0) {
                        // pacing of the publisher (not synchronisation), so the loss lands mid-stream
                        LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
                    }
                }
            }

            for (Subscriber subscriber : subscribers) {
                await().atMost(Duration.ofSeconds(30)).until(() -> subscriber.sequences.size() >= MESSAGES);
                assertThat(subscriber.sequences).as("%s got every message once, in order", subscriber.user)
                        .containsExactlyElementsOf(IntStream.range(0, MESSAGES).boxed().toList());
                assertThat(subscriber.recoveries).allSatisfy(recovery -> assertThat(recovery.recovered())
                        .as("recovery of %s for %s", recovery.log(), subscriber.user).isTrue());
            }
            assertThat(onVictim).allSatisfy(s -> {
                assertThat(s.session.stats().reconnects()).isGreaterThanOrEqualTo(1);
                assertThat(s.recoveries).isNotEmpty();
                assertThat(s.node()).as("%s reconnected through nginx to", s.user).isEqualTo("survivor");
            });
            subscribers.forEach(s -> s.session.close());
        }
    }

    /** The addresses of the sessions on {@code node}, as its admin API shows them (straight to the node). */
    private static List<String> peers(NodeProcess node) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                node.httpUri("/admin/api/sessions")).header("Authorization", "Bearer " + NodeProcess.API_KEY).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> peers = new ArrayList<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).path("sessions")
                .forEach(session -> peers.add(session.path("peer").asText()));
        return peers;
    }

    /** The two nodes, started side by side (each start is mostly JVM warm-up; the machine has two cores). */
    private record Nodes(NodeProcess victim, NodeProcess survivor) implements AutoCloseable {
        static Nodes start(String redisUri, Map<String, String> settings) {
            CompletableFuture<NodeProcess> victim = CompletableFuture.supplyAsync(
                    () -> NodeProcess.start(redisUri, "victim", settings));
            NodeProcess survivor;
            try {
                survivor = NodeProcess.start(redisUri, "survivor", settings);
            } catch (RuntimeException | Error e) {
                victim.thenAccept(NodeProcess::close);
                throw e;
            }
            try {
                return new Nodes(victim.join(), survivor);
            } catch (CompletionException e) {
                survivor.close();
                throw e;
            }
        }

        @Override
        public void close() {
            try (NodeProcess first = victim; NodeProcess second = survivor) {
                // closes both, even if one close fails
            }
        }
    }

    /** An SSLContext that trusts only the certificate in {@code pem} (the test's self-signed one). */
    static SSLContext trusting(Path pem) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            trust.setCertificateEntry("nginx", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static final class Subscriber {
        final String user;
        final List<Integer> sequences = new CopyOnWriteArrayList<>();
        final List<Recovery> recoveries = new CopyOnWriteArrayList<>();
        final DinoSession session;

        Subscriber(String user, URI front, HttpClient https) {
            this.user = user;
            this.session = DinoSession.builder(List.of(front), () -> NodeProcess.token(user))
                    .httpClient(https)
                    .reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(500))
                    .onMessage(this::onMessage)
                    .onRecovery(recoveries::add)
                    .build();
        }

        /** The node id of the session's current connection. */
        String node() {
            return session.connection().map(c -> c.connectResult().path("node").asText()).orElse("");
        }

        private void onMessage(JsonNode event) {
            if (event.at("/msg/room").asText().equals("stream")) {
                sequences.add(event.at("/msg/body/seq").asInt());
            }
        }
    }
}
