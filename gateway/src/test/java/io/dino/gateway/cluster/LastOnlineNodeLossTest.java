package io.dino.gateway.cluster;

import io.dino.api.client.DinoBackendClient;
import io.dino.api.v1.PresenceStatus;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node holding the only session of a user is killed (SIGKILL): the node that cleans up after it records the
 * user's last-online time and forgets the user's status, an invisible user's leave reaches operators only, and the
 * users' rooms ({@code ListUserRooms}) no longer list the rooms of the dead node's sessions.
 */
class LastOnlineNodeLossTest {

    @Test
    void aKilledNodesUsersGetTheirLastOnlineTimeAndLeaveAsTheyWereSeen() throws Exception {
        try (RedisServer redis = RedisServer.start();
             NodeProcess victim = NodeProcess.start(redis.uri(), "victim", cluster());
             NodeProcess survivor = NodeProcess.start(redis.uri(), "survivor", cluster());
             DinoBackendClient backend = DinoBackendClient.builder("127.0.0.1", survivor.grpcPort())
                     .apiKey(NodeProcess.API_KEY).build()) {
            EventRecorder watcherEvents = new EventRecorder();
            DinoClient watcher = DinoClient.builder(survivor.wsUri()).onEvent(watcherEvents)
                    .connect(NodeProcess.token("walt")).get(30, TimeUnit.SECONDS);
            watcher.join("hall").get(30, TimeUnit.SECONDS);
            DinoClient vera = DinoClient.connect(victim.wsUri(), NodeProcess.token("vera")).get(30, TimeUnit.SECONDS);
            vera.join("hall").get(30, TimeUnit.SECONDS);
            vera.setStatus("away").get(30, TimeUnit.SECONDS);
            DinoClient ghost = DinoClient.connect(victim.wsUri(), NodeProcess.token("gus")).get(30, TimeUnit.SECONDS);
            backend.setUserStatus("gus", PresenceStatus.PRESENCE_STATUS_INVISIBLE);
            ghost.join("hall").get(30, TimeUnit.SECONDS);
            watcherEvents.await(e -> "joined".equals(e.path("event").asText()) && "vera".equals(e.path("user").asText()),
                    Duration.ofSeconds(10));
            assertThat(backend.userStatus(List.of("vera", "gus"))).containsExactly(
                    Map.entry("vera", PresenceStatus.PRESENCE_STATUS_AWAY), Map.entry("gus", PresenceStatus.PRESENCE_STATUS_INVISIBLE));

            DinoClient veraOnSurvivor = DinoClient.connect(survivor.wsUri(), NodeProcess.token("vera")).get(30, TimeUnit.SECONDS);
            veraOnSurvivor.join("porch").get(30, TimeUnit.SECONDS);
            vera.join("attic").get(30, TimeUnit.SECONDS);
            assertThat(backend.userRooms(List.of("vera", "gus"))).containsExactly(
                    Map.entry("vera", List.of("attic", "hall", "porch")), Map.entry("gus", List.of("hall")));
            veraOnSurvivor.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> backend.userRooms(List.of("vera")).get("vera").equals(List.of("attic", "hall")));

            Instant killed = Instant.now();
            victim.kill();

            await().atMost(Duration.ofSeconds(30)).until(() -> backend.lastOnline(List.of("vera")).get("vera").isPresent());
            // the survivor's cleanup took the dead node's sessions out of their rooms and out of the users' room index
            await().atMost(Duration.ofSeconds(10)).until(() -> backend.userRooms(List.of("vera", "gus")).equals(
                    Map.of("vera", List.of(), "gus", List.of())));
            Map<String, Optional<Instant>> lastOnline = backend.lastOnline(List.of("vera", "gus"));
            assertThat(lastOnline.get("vera").orElseThrow()).isBetween(killed, Instant.now());
            await().atMost(Duration.ofSeconds(10)).until(() -> backend.lastOnline(List.of("gus")).get("gus").isPresent());
            assertThat(backend.userStatus(List.of("vera", "gus"))).containsExactly(
                    Map.entry("vera", PresenceStatus.PRESENCE_STATUS_OFFLINE), Map.entry("gus", PresenceStatus.PRESENCE_STATUS_OFFLINE));
            watcherEvents.await(e -> "left".equals(e.path("event").asText()) && "vera".equals(e.path("user").asText()),
                    Duration.ofSeconds(10));
            // a marker after the cleanup: the invisible user's leave, had it been sent to everyone, came before it
            DinoClient marker = DinoClient.connect(survivor.wsUri(), NodeProcess.token("mark")).get(30, TimeUnit.SECONDS);
            marker.join("hall").get(30, TimeUnit.SECONDS);
            watcherEvents.await(e -> "joined".equals(e.path("event").asText()) && "mark".equals(e.path("user").asText()),
                    Duration.ofSeconds(10));
            assertThat(watcherEvents.events()).noneMatch(e -> "gus".equals(e.path("user").asText()));
            watcher.close();
            marker.close();
        }
    }

    private static Map<String, String> cluster() {
        return Map.of("dino.cluster.heartbeat-interval", "PT0.5S", "dino.cluster.node-timeout", "PT3S");
    }
}
