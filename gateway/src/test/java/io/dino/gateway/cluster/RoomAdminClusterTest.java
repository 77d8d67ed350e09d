package io.dino.gateway.cluster;

import io.dino.api.client.DinoBackendClient;
import io.dino.api.v1.CreateRoomRequest;
import io.dino.api.v1.RoleScope;
import io.dino.api.v1.RoomKind;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.redis.RedisEngine;
import io.dino.gateway.engine.redis.RedisSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renames, removals and channel-scope role changes made through node A reach the sessions node B holds,
 * through the Redis control plane (A holds no session of the room).
 */
class RoomAdminClusterTest {

    private static RedisServer redis;
    private static TestNode a;
    private static TestNode b;
    private static DinoBackendClient backendOnA;
    /** Changes stored rules behind the nodes' backs (no control sent). */
    private static Engine store;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        a = node("a");
        b = node("b");
        backendOnA = DinoBackendClient.builder("127.0.0.1", a.grpcPort()).apiKey(TestNode.API_KEY).build();
        store = RedisEngine.start("store", new RedisSettings(redis.uri(), "dino", Duration.ofSeconds(2), 100, Duration.ZERO,
                Duration.ofMinutes(5), 10_000, Duration.ofMillis(500), Duration.ofSeconds(5)), InstantSource.system());
    }

    private static TestNode node(String id) {
        return TestNode.start(Map.of("dino.engine", "redis", "dino.redis.uri", redis.uri(), "dino.node-id", id,
                "dino.cluster.heartbeat-interval", "PT0.5S", "dino.cluster.node-timeout", "PT5S"));
    }

    @AfterAll
    static void stop() {
        backendOnA.close();
        store.close();
        a.close();
        b.close();
        redis.close();
    }

    @Test
    void aRenameAndARemovalThroughNodeAReachTheSessionsOnNodeB() throws Exception {
        backendOnA.createChannel("cl-games", "Games", 1, List.of(), Map.of());
        String room = backendOnA.createRoom(CreateRoomRequest.newBuilder().setId("cl-chess").setChannel("cl-games")
                .setName("Chess").setTopic("one move a day").setKind(RoomKind.ROOM_KIND_STATIC).addOwners("olga").build()).getId();
        EventRecorder events = new EventRecorder();
        DinoClient player = b.client("cl-player", events);
        player.join(room).join();

        assertThat(backendOnA.renameRoom(room, "Blitz").getName()).isEqualTo("Blitz");
        assertThat(events.await("renamed", TIMEOUT).toString())
                .isEqualTo("{\"event\":\"renamed\",\"room\":\"cl-chess\",\"name\":\"Blitz\"}");
        // the name moved in the store every node reads: node B's session sees it when browsing
        assertThat(player.browse("cl-games").join().get("rooms").get(0).get("name").asText()).isEqualTo("Blitz");
        assertThat(backendOnA.room(room).getTopic()).as("a rename keeps the topic").isEqualTo("one move a day");

        backendOnA.removeRoom(room);
        assertThat(events.await("removed", TIMEOUT).toString())
                .isEqualTo("{\"event\":\"removed\",\"room\":\"cl-chess\",\"reason\":\"room removed\"}");
        assertThat(player.rooms().join().get("rooms")).isEmpty();
        assertThat(backendOnA.roleHolders(RoleScope.ROLE_SCOPE_ROOM, room)).isEmpty();
        assertThat(backendOnA.rooms("cl-games")).isEmpty();
    }

    @Test
    void aChannelScopeRoleChangeOnNodeAReChecksTheSessionsOfEveryRoomOfTheChannelOnNodeB() throws Exception {
        backendOnA.createChannel("cl-club", "", 0, List.of(), Map.of());
        for (String id : List.of("cl-one", "cl-two")) {
            backendOnA.createRoom(CreateRoomRequest.newBuilder().setId(id).setChannel("cl-club").setName(id)
                    .setKind(RoomKind.ROOM_KIND_STATIC).build());
        }
        EventRecorder events = new EventRecorder();
        DinoClient kid = b.client("cl-kid", Set.of(), Map.of("age", "12"), events);
        kid.join("cl-one").join();
        kid.join("cl-two").join();
        kid.send("cl-one", "\"cached\"").join();  // B caches the rooms' (empty) rules

        store.acls().set("cl-one", Map.of("join", "age=18:"));
        store.acls().set("cl-two", Map.of("join", "age=18:"));
        assertThat(backendOnA.grantRole(RoleScope.ROLE_SCOPE_CHANNEL, "cl-club", "someone", "admin")).isTrue();

        assertThat(events.awaitCount(e -> "removed".equals(e.path("event").asText()), 2, TIMEOUT))
                .extracting(e -> e.get("room").asText() + "/" + e.get("reason").asText())
                .containsExactlyInAnyOrder("cl-one/access changed", "cl-two/access changed");
    }
}
