package io.dino.gateway.e2e;

import io.dino.api.v1.ListOnlineUsersRequest;
import io.dino.api.v1.ListRoomMembersRequest;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import io.dino.gateway.cluster.RedisServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * However a socket ends, its session ends with it: the user leaves presence and rooms (a watcher sees
 * {@code left}) and the connection gauge drops. Each test ends a raw socket one way, on a real node.
 */
class ConnectionLifecycleTest {

    @Test
    void aSocketEndedByAFinWithoutACloseFrameEndsItsSession() throws Exception {
        try (TestNode node = TestNode.start()) {
            EventRecorder watcherEvents = watcherIn(node);
            StalledSocket ghost = joinedSocket(node, "fin-ghost");

            ghost.shutdownOutput();

            awaitGone(node, watcherEvents, "fin-ghost");
            ghost.close();
        }
    }

    @Test
    void aSocketClosedWithoutACloseFrameEndsItsSession() throws Exception {
        try (TestNode node = TestNode.start()) {
            EventRecorder watcherEvents = watcherIn(node);
            StalledSocket ghost = joinedSocket(node, "closed-ghost");

            ghost.close();

            awaitGone(node, watcherEvents, "closed-ghost");
        }
    }

    @Test
    void aResetSocketEndsItsSession() throws Exception {
        try (TestNode node = TestNode.start()) {
            EventRecorder watcherEvents = watcherIn(node);
            StalledSocket ghost = joinedSocket(node, "reset-ghost");

            ghost.reset();

            awaitGone(node, watcherEvents, "reset-ghost");
        }
    }

    @Test
    void onTheRedisEngineAFinOrAResetEndsTheSessionToo() throws Exception {
        try (RedisServer redis = RedisServer.start();
             TestNode node = TestNode.start(Map.of("dino.engine", "redis", "dino.redis.uri", redis.uri()))) {
            EventRecorder watcherEvents = watcherIn(node);
            StalledSocket finished = joinedSocket(node, "redis-fin-ghost");
            finished.shutdownOutput();
            awaitGone(node, watcherEvents, "redis-fin-ghost");

            joinedSocket(node, "redis-reset-ghost").reset();
            awaitGone(node, watcherEvents, "redis-reset-ghost");
            finished.close();
        }
    }

    @Test
    void aSocketClosedByTheIdleTimeoutEndsItsSession() throws Exception {
        // no pings, so Helidon's idle timeout closes every socket, the watcher's too: presence and the gauge tell
        try (TestNode node = TestNode.start(Map.of(
                "server.idle-connection-timeout", "PT2S",
                "server.idle-connection-period", "PT0.2S",
                "dino.limits.ping-interval", "PT1H"))) {
            StalledSocket idle = StalledSocket.open(node.port(), "/ws");
            idle.sendText("{\"id\":1,\"cmd\":\"connect\",\"token\":\"" + node.token("idler") + "\"}");
            await().atMost(TIMEOUT).until(() -> onlineUsers(node).contains("idler"));

            await().atMost(TIMEOUT).untilAsserted(() -> {
                assertThat(onlineUsers(node)).isEmpty();
                assertThat(connectionsGauge(node)).isZero();
            });
            idle.close();
        }
    }

    @Test
    void aSocketThatAnswersNoPingIsDroppedAfterThePingTimeout() throws Exception {
        try (TestNode node = TestNode.start(Map.of(
                "dino.limits.ping-interval", "PT0.2S",
                "dino.limits.ping-timeout", "PT0.5S"))) {
            EventRecorder watcherEvents = watcherIn(node);
            // never reads, so it answers none of the node's pings, yet its TCP connection stays up
            StalledSocket silent = joinedSocket(node, "silent");

            awaitGone(node, watcherEvents, "silent");
            silent.close();
        }
    }

    @Test
    void theNodeAnswersAClientPingWithAPongCarryingItsPayload() throws Exception {
        try (TestNode node = TestNode.start()) {
            StalledSocket socket = StalledSocket.open(node.port(), "/ws");
            byte[] payload = "are you there?".getBytes(StandardCharsets.UTF_8);

            socket.sendPing(payload);

            StalledSocket.Frame frame = socket.readFrame(TIMEOUT);
            assertThat(frame).isNotNull();
            assertThat(frame.opcode()).as("opcode of the answer").isEqualTo(0xA);
            assertThat(frame.payload()).isEqualTo(payload);
            socket.close();
        }
    }

    /** A library client in room "lobby" that records the membership events. */
    private static EventRecorder watcherIn(TestNode node) {
        EventRecorder events = new EventRecorder();
        DinoClient watcher = node.client("watcher", events);
        watcher.join("lobby").join();
        return events;
    }

    /** A raw socket authenticated as {@code user} and in room "lobby"; it never reads what the node sends. */
    private static StalledSocket joinedSocket(TestNode node, String user) throws IOException, InterruptedException {
        StalledSocket socket = StalledSocket.open(node.port(), "/ws");
        socket.sendText("{\"id\":1,\"cmd\":\"connect\",\"token\":\"" + node.token(user) + "\"}");
        socket.sendText("{\"id\":2,\"cmd\":\"join\",\"room\":\"lobby\"}");
        await().atMost(TIMEOUT).until(() -> members(node).contains(user));
        assertThat(connectionsGauge(node)).isEqualTo(2.0);
        return socket;
    }

    private static void awaitGone(TestNode node, EventRecorder watcherEvents, String user) {
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(watcherEvents.events("left")).anySatisfy(left -> assertThat(left.get("user").asText()).isEqualTo(user));
            assertThat(members(node)).containsExactly("watcher");
            assertThat(onlineUsers(node)).containsExactly("watcher");
            assertThat(connectionsGauge(node)).isEqualTo(1.0);
        });
    }

    private static List<String> onlineUsers(TestNode node) {
        return node.backend().listOnlineUsers(ListOnlineUsersRequest.getDefaultInstance()).getUsersList();
    }

    private static List<String> members(TestNode node) {
        return node.backend().listRoomMembers(ListRoomMembersRequest.newBuilder().setRoom("lobby").build()).getUsersList();
    }

    private static double connectionsGauge(TestNode node) throws IOException, InterruptedException {
        return NodeMetrics.value(node, "dino_connections", "");
    }
}
