package io.dino.gateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.api.v1.DisconnectUserRequest;
import io.dino.api.v1.ListRoomMembersRequest;
import io.dino.api.v1.PublishToRoomRequest;
import io.dino.client.DinoSession;
import io.dino.client.LogId;
import io.dino.client.Recovery;
import io.dino.client.RejoinFailure;
import io.dino.gateway.TestNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A reconnecting {@link DinoSession} whose re-join of one room is refused: only that room is affected. A
 * refusal for good drops the room and reports it; a temporary one is retried for that room alone, from its last
 * position. Either way the session connects once, and the inbox and the other rooms go on.
 */
class SessionRejoinTest {

    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void aRoomTheNewNodeRefusesIsDroppedAndReportedWhileTheOtherRoomsRecover() throws Exception {
        try (TestNode roomy = node("roomy", 3);
             TestNode strict = node("strict", 2)) {
            Recorder ivy = new Recorder();
            DinoSession session = ivy.session("ivy", List.of(roomy.wsUri(), strict.wsUri()));
            session.start().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            for (String room : List.of("north", "south", "west")) {
                session.join(room).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                publish(roomy, room, "before");
            }
            await().atMost(TIMEOUT).until(() -> ivy.bodies("west").contains("before"));

            roomy.close(); // drains: the session is told to reconnect and moves on to strict, which allows 2 rooms
            publish(strict, "north", "while away");
            publish(strict, "south", "while away");

            await().atMost(TIMEOUT).until(() -> !ivy.failures.isEmpty() && session.isConnected());
            assertThat(ivy.failures).singleElement().satisfies(failure -> {
                assertThat(failure.room()).isEqualTo("west");
                assertThat(failure.code()).isEqualTo(4032);
                assertThat(failure.name()).isEqualTo("TOO_MANY_ROOMS");
                assertThat(failure.retrying()).isFalse();
            });
            publish(strict, "north", "after");
            publish(strict, "south", "after");
            await().atMost(TIMEOUT).until(() -> ivy.bodies("north").contains("after")
                    && ivy.bodies("south").contains("after"));
            for (String room : List.of("north", "south")) {
                assertThat(ivy.bodies(room)).as(room).containsExactly("before", "while away", "after");
            }
            assertThat(ivy.recoveries).extracting(Recovery::log).containsExactlyInAnyOrder(LogId.INBOX,
                    LogId.room("north"), LogId.room("south"));
            assertThat(ivy.recoveries).allSatisfy(recovery -> assertThat(recovery.recovered()).isTrue());
            assertThat(session.positions()).containsOnlyKeys(LogId.INBOX, LogId.room("north"), LogId.room("south"));
            assertThat(members(strict, "west")).doesNotContain("ivy");
            assertThat(members(strict, "north")).contains("ivy");
            assertThat(session.stats().connectAttempts()).as("one attempt to each node, no loop").isEqualTo(2);
            assertThat(session.stats().reconnects()).isEqualTo(1);
            session.close();
        }
    }

    @Test
    void aRejoinAnsweredUnavailableIsRetriedForThatRoomAloneFromItsLastPosition() throws Exception {
        try (TestNode node = node("solo", 100);
             RedisClient client = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = client.connect()) {
            Recorder una = new Recorder();
            DinoSession session = una.session("una", List.of(node.wsUri()));
            session.start().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            for (String room : List.of("calm", "flaky")) {
                session.join(room).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                publish(node, room, "before");
            }
            await().atMost(TIMEOUT).until(() -> una.bodies("flaky").contains("before"));

            // A presence hash of the wrong type makes every join of "flaky" fail in Redis (WRONGTYPE), which the node
            // answers with UNAVAILABLE; publishing to the room still works, as its log is untouched.
            RedisCommands<String, String> redisCommands = connection.sync();
            String sessions = "dino:{r:flaky}:sessions";
            assertThat(redisCommands.type(sessions)).as("the key layout this test relies on").isEqualTo("hash");
            redisCommands.rename(sessions, sessions + ":aside");
            redisCommands.set(sessions, "not a hash");
            node.backend().disconnectUser(DisconnectUserRequest.newBuilder().setUser("una").setReconnect(true).build());

            await().atMost(TIMEOUT).until(() -> una.failures.size() >= 2 && session.isConnected());
            publish(node, "calm", "during");
            publish(node, "flaky", "missed 1");
            publish(node, "flaky", "missed 2");
            await().atMost(TIMEOUT).until(() -> una.bodies("calm").contains("during"));
            assertThat(una.bodies("flaky")).containsExactly("before");

            redisCommands.rename(sessions + ":aside", sessions);
            await().atMost(TIMEOUT).until(() -> una.bodies("flaky").contains("missed 2"));
            publish(node, "flaky", "after");
            await().atMost(TIMEOUT).until(() -> una.bodies("flaky").contains("after"));

            assertThat(una.bodies("calm")).containsExactly("before", "during");
            assertThat(una.bodies("flaky")).containsExactly("before", "missed 1", "missed 2", "after");
            assertThat(una.failures).allSatisfy(failure -> {
                assertThat(failure.room()).isEqualTo("flaky");
                assertThat(failure.code()).isEqualTo(5030);
                assertThat(failure.name()).isEqualTo("UNAVAILABLE");
                assertThat(failure.retrying()).isTrue();
            });
            assertThat(una.recoveries).filteredOn(recovery -> recovery.log().equals(LogId.room("flaky")))
                    .singleElement().satisfies(recovery -> {
                        assertThat(recovery.recovered()).isTrue();
                        assertThat(recovery.replayed()).isEqualTo(2);
                    });
            assertThat(session.stats().connectAttempts()).as("the room is retried, not the connection").isEqualTo(2);
            session.close();
        }
    }

    private static TestNode node(String id, int maxRooms) {
        return TestNode.start(Map.of("dino.engine", "redis", "dino.redis.uri", redis.uri(), "dino.node-id", id,
                "dino.limits.max-rooms-per-session", Integer.toString(maxRooms),
                "dino.cluster.heartbeat-interval", "PT0.5S", "dino.cluster.node-timeout", "PT5S"));
    }

    private static void publish(TestNode node, String room, String text) {
        node.backend().publishToRoom(PublishToRoomRequest.newBuilder()
                .setRoom(room).setBodyJson("\"" + text + "\"").build());
    }

    private static List<String> members(TestNode node, String room) {
        return node.backend().listRoomMembers(ListRoomMembersRequest.newBuilder().setRoom(room).build()).getUsersList();
    }

    /** What a session hands to the application: message bodies per room, recoveries, re-join failures. */
    private static final class Recorder {
        final Map<String, List<String>> bodies = new ConcurrentHashMap<>();
        final List<Recovery> recoveries = new CopyOnWriteArrayList<>();
        final List<RejoinFailure> failures = new CopyOnWriteArrayList<>();

        DinoSession session(String user, List<URI> nodes) {
            return DinoSession.builder(nodes, () -> NodeProcess.token(user))
                    .firstNode(0)
                    .reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(200))
                    .onMessage(this::message)
                    .onRecovery(recoveries::add)
                    .onRejoinFailure(failures::add)
                    .build();
        }

        List<String> bodies(String room) {
            return bodies.getOrDefault(room, List.of());
        }

        private void message(JsonNode event) {
            bodies.computeIfAbsent(event.at("/msg/room").asText(), room -> new CopyOnWriteArrayList<>())
                    .add(event.at("/msg/body").asText());
        }
    }
}
