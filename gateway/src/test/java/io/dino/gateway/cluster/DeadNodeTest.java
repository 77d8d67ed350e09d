package io.dino.gateway.cluster;

import io.dino.api.v1.ListOnlineUsersRequest;
import io.dino.api.v1.ListRoomMembersRequest;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A node killed with SIGKILL leaves no ghosts: its users leave presence, with leave events, within the bound. */
class DeadNodeTest {

    @Test
    void theSessionsOfAKilledNodeLeavePresenceWithinTheNodeTimeout() throws Exception {
        Map<String, String> cluster = Map.of("dino.cluster.heartbeat-interval", "PT0.5S", "dino.cluster.node-timeout", "PT3S");
        try (RedisServer redis = RedisServer.start();
             NodeProcess doomed = NodeProcess.start(redis.uri(), "doomed", cluster);
             TestNode survivor = TestNode.start(Map.of("dino.engine", "redis", "dino.redis.uri", redis.uri(),
                     "dino.node-id", "survivor", "dino.cluster.heartbeat-interval", "PT0.5S", "dino.cluster.node-timeout", "PT3S"))) {
            EventRecorder watcher = new EventRecorder();
            survivor.client("watcher", watcher).join("square").join();
            DinoClient ghost = DinoClient.connect(doomed.wsUri(), NodeProcess.token("ghost")).join();
            ghost.join("square").join();
            watcher.await(e -> e.path("event").asText().equals("joined") && e.path("user").asText().equals("ghost"), TIMEOUT);
            var backend = survivor.backend();
            assertThat(backend.listRoomMembers(ListRoomMembersRequest.newBuilder().setRoom("square").build()).getUsersList())
                    .containsExactly("ghost", "watcher");

            long killedAt = System.nanoTime();
            doomed.kill();

            watcher.await(e -> e.path("event").asText().equals("left") && e.path("user").asText().equals("ghost"),
                    Duration.ofSeconds(15));
            Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
            assertThat(took).as("cleanup within node-timeout plus one heartbeat and slack").isLessThan(Duration.ofSeconds(12));
            assertThat(survivor.backend().listRoomMembers(ListRoomMembersRequest.newBuilder().setRoom("square").build())
                    .getUsersList()).containsExactly("watcher");
            await().atMost(TIMEOUT).until(() -> !survivor.backend().listOnlineUsers(ListOnlineUsersRequest.getDefaultInstance())
                    .getUsersList().contains("ghost"));
            assertThat(watcher.events("left")).filteredOn(e -> e.get("user").asText().equals("ghost")).hasSize(1);
            ghost.abort();
        }
    }
}
