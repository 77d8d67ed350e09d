package io.dino.gateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.api.client.DinoBackendClient;
import io.dino.client.DinoSession;
import io.dino.client.Recovery;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two node processes, clients spread over both, a steady stream of messages; one node is killed with
 * SIGKILL. Its clients reconnect to the other node and recover: every message arrives exactly once
 * (after the SDK drops repeats by offset), none is lost, and every recovery is complete.
 */
class NodeLossTest {

    private static final int MESSAGES = 300;
    private static final int SUBSCRIBERS = 6;

    @Test
    void clientsOfAKilledNodeRecoverEverythingOnTheOtherNode() throws Exception {
        Map<String, String> cluster = Map.of("dino.cluster.heartbeat-interval", "PT0.5S", "dino.cluster.node-timeout", "PT3S");
        try (RedisServer redis = RedisServer.start();
             NodeProcess victim = NodeProcess.start(redis.uri(), "victim", cluster);
             NodeProcess survivor = NodeProcess.start(redis.uri(), "survivor", cluster)) {
            List<URI> nodes = List.of(victim.wsUri(), survivor.wsUri());
            List<Subscriber> subscribers = new ArrayList<>();
            for (int i = 0; i < SUBSCRIBERS; i++) {
                subscribers.add(new Subscriber("user" + i, nodes, i % 2));
            }
            for (Subscriber subscriber : subscribers) {
                subscriber.session.start().get(30, TimeUnit.SECONDS);
                subscriber.session.join("stream").get(30, TimeUnit.SECONDS);
            }

            try (DinoBackendClient backend = DinoBackendClient.builder("127.0.0.1", survivor.grpcPort())
                    .apiKey(NodeProcess.API_KEY).build()) {
                for (int sequence = 0; sequence < MESSAGES; sequence++) {
                    if (sequence == MESSAGES / 3) {
                        victim.kill();
                    }
                    backend.publishToRoom("stream", "{\"seq\":" + sequence + "}");
                    if (sequence % 10 == 0) {
                        // a steady stream rather than one burst, so the kill lands mid-stream
                        awaitSteadyPace();
                    }
                }
            }

            for (Subscriber subscriber : subscribers) {
                await().atMost(Duration.ofSeconds(30)).until(() -> subscriber.sequences.size() >= MESSAGES);
                assertThat(subscriber.sequences).as("%s got every message once, in order", subscriber.user)
                        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, MESSAGES).boxed().toList());
                assertThat(subscriber.recoveries).allSatisfy(recovery -> assertThat(recovery.recovered())
                        .as("recovery of %s for %s", recovery.log(), subscriber.user).isTrue());
                subscriber.session.close();
            }
            List<Subscriber> moved = subscribers.stream().filter(s -> s.firstNode == 0).toList();
            assertThat(moved).allSatisfy(s -> assertThat(s.session.stats().reconnects()).isGreaterThanOrEqualTo(1));
            assertThat(moved).allSatisfy(s -> assertThat(s.recoveries).isNotEmpty());
        }
    }

    /** Pacing of the publisher (not synchronization): about 500 messages a second. */
    private static void awaitSteadyPace() {
        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }

    private static final class Subscriber {
        final String user;
        final int firstNode;
        final List<Integer> sequences = new CopyOnWriteArrayList<>();
        final List<Recovery> recoveries = new CopyOnWriteArrayList<>();
        final Map<Integer, Boolean> seen = new ConcurrentHashMap<>();
        final DinoSession session;

        Subscriber(String user, List<URI> nodes, int firstNode) {
            this.user = user;
            this.firstNode = firstNode;
            this.session = DinoSession.builder(nodes, () -> NodeProcess.token(user))
                    .firstNode(firstNode)
                    .reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(500))
                    .onMessage(this::onMessage)
                    .onRecovery(recoveries::add)
                    .build();
        }

        private void onMessage(JsonNode event) {
            if (event.at("/msg/room").asText().equals("stream")) {
                sequences.add(event.at("/msg/body/seq").asInt());
            }
        }
    }
}
