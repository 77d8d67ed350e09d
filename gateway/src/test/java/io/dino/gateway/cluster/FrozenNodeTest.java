package io.dino.gateway.cluster;

import io.dino.api.v1.ListRoomMembersRequest;
import io.dino.api.v1.PublishToRoomRequest;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node paused (SIGSTOP) past the node timeout is declared dead: peers see its users leave. When it resumes
 * it finds itself unregistered and puts its sessions back, announcing {@code joined} for them, so peers see
 * the users come back the way they saw them go; a client that left while the node was paused stays gone, and
 * the resumed sessions get what was published to their room meanwhile.
 */
class FrozenNodeTest {

    private static final String ROOM = "square";

    @Test
    void aNodeBackFromAPauseReannouncesItsUsersAndLeavesNoGhost() throws Exception {
        Map<String, String> cluster = Map.of("dino.cluster.heartbeat-interval", "PT0.5S", "dino.cluster.node-timeout", "PT3S");
        try (RedisServer redis = RedisServer.start();
             NodeProcess paused = NodeProcess.start(redis.uri(), "paused", cluster);
             TestNode survivor = TestNode.start(Map.of("dino.engine", "redis", "dino.redis.uri", redis.uri(),
                     "dino.node-id", "survivor", "dino.cluster.heartbeat-interval", "PT0.5S", "dino.cluster.node-timeout", "PT3S"))) {
            EventRecorder watcher = new EventRecorder();
            survivor.client("watcher", watcher).join(ROOM).join();
            EventRecorder stayEvents = new EventRecorder();
            DinoClient stay = DinoClient.builder(paused.wsUri()).onEvent(stayEvents).connect(NodeProcess.token("stay")).join();
            stay.join(ROOM).join();
            DinoClient goner = DinoClient.connect(paused.wsUri(), NodeProcess.token("goner")).join();
            goner.join(ROOM).join();
            assertThat(members(survivor)).containsExactly("goner", "stay", "watcher");

            signal(paused, "STOP");
            try {
                for (String user : List.of("stay", "goner")) {
                    watcher.await(e -> isEvent(e, "left", user), Duration.ofSeconds(15));
                }
                assertThat(members(survivor)).containsExactly("watcher");
                goner.close();  // the paused node reads the close frame only when it resumes
                survivor.backend().publishToRoom(PublishToRoomRequest.newBuilder().setRoom(ROOM)
                        .setBodyJson("\"while you were away\"").build());
            } finally {
                signal(paused, "CONT");
            }

            // its first joined came before the pause, the second when the node put it back
            watcher.awaitCount(e -> isEvent(e, "joined", "stay"), 2, Duration.ofSeconds(15));
            await().atMost(TIMEOUT).until(() -> members(survivor).equals(List.of("stay", "watcher")));
            stayEvents.await(e -> e.at("/msg/body").asText().equals("while you were away"), Duration.ofSeconds(15));
            assertThat(watcher.events("joined")).filteredOn(e -> e.get("user").asText().equals("goner")).hasSize(1);
            assertThat(members(survivor)).containsExactly("stay", "watcher");
        }
    }

    private static List<String> members(TestNode node) {
        return node.backend().listRoomMembers(ListRoomMembersRequest.newBuilder().setRoom(ROOM).build()).getUsersList();
    }

    private static boolean isEvent(com.fasterxml.jackson.databind.JsonNode event, String type, String user) {
        return event.path("event").asText().equals(type) && event.path("user").asText().equals(user);
    }

    private static void signal(NodeProcess node, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(node.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s", signal).isZero();
    }
}
