package io.dino.gateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.api.v1.GrantRoleRequest;
import io.dino.api.v1.ListRoomMembersRequest;
import io.dino.api.v1.RevokeRoleRequest;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import io.dino.gateway.e2e.RolesApiTestSupport;
import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.redis.RedisEngine;
import io.dino.gateway.engine.redis.RedisSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A role change takes effect at once on every node: the node the backend calls tells the holders of the room
 * (through Redis), which drop what they cached of the room and re-check their sessions in it.
 */
class RoleChangeClusterTest {

    private static RedisServer redis;
    /** Holds the room's members. */
    private static TestNode a;
    /** Holds no sessions: the backend calls it, so the change reaches A only through Redis. */
    private static TestNode b;
    /** Changes the stored rules behind the nodes' backs (no control sent), as a stand-in for any stored change. */
    private static Engine store;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        a = node("a");
        b = node("b");
        store = RedisEngine.start("store", new RedisSettings(redis.uri(), "dino", Duration.ofSeconds(2), 100, Duration.ZERO,
                Duration.ofMinutes(5), 10_000, Duration.ofMillis(500), Duration.ofSeconds(5)), InstantSource.system());
    }

    private static TestNode node(String id) {
        return TestNode.start(Map.of("dino.engine", "redis", "dino.redis.uri", redis.uri(), "dino.node-id", id,
                "dino.cluster.heartbeat-interval", "PT0.5S", "dino.cluster.node-timeout", "PT5S"));
    }

    @AfterAll
    static void stop() {
        store.close();
        a.close();
        b.close();
        redis.close();
    }

    @Test
    void aRoomRoleChangeOnAnotherNodeReChecksTheRoomsSessionsWithWhatIsStoredNow() throws Exception {
        String room = "roles-recheck";
        EventRecorder stayerEvents = new EventRecorder();
        EventRecorder goerEvents = new EventRecorder();
        DinoClient stayer = a.client("sten", Set.of(), Map.of("age", "40"), stayerEvents);
        stayer.join(room).join();
        DinoClient goer = a.client("gil", Set.of(), Map.of("age", "16"), goerEvents);
        goer.join(room).join();
        // A caches the room's (empty) rules for its members' sends
        goer.send(room, "\"cached\"").join();
        stayerEvents.await(e -> "message".equals(e.path("event").asText()), TIMEOUT);

        store.acls().set(room, Map.of("join", "age=18:"));
        // nothing told A: gil may still send (cached rules)
        goer.send(room, "\"still in\"").join();
        assertThat(goerEvents.events("removed")).isEmpty();

        assertThat(RolesApiTestSupport.roles(b).grantRole(GrantRoleRequest.newBuilder().setUser("sten").setRoom(room)
                .setRole("moderator").build()).getChanged()).isTrue();

        JsonNode removed = goerEvents.await("removed", TIMEOUT);
        assertThat(removed.get("room").asText()).isEqualTo(room);
        assertThat(removed.get("reason").asText()).isEqualTo("access changed");
        JsonNode left = stayerEvents.await(e -> "left".equals(e.path("event").asText()), TIMEOUT);
        assertThat(left.get("user").asText()).isEqualTo("gil");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(b.backend().listRoomMembers(
                ListRoomMembersRequest.newBuilder().setRoom(room).build()).getUsersList()).containsExactly("sten"));
        assertThat(stayerEvents.events("removed")).isEmpty();

        // a revoke re-checks too, and a session that still passes stays
        RolesApiTestSupport.roles(b).revokeRole(RevokeRoleRequest.newBuilder().setUser("sten").setRoom(room)
                .setRole("moderator").build());
        stayer.send(room, "\"after\"").join();
        assertThat(stayerEvents.events("removed")).isEmpty();

        // a call that changes no role still tells the holders, so a retry after a failed send completes it
        store.acls().set(room, Map.of("join", "age=50:"));
        assertThat(RolesApiTestSupport.roles(b).revokeRole(RevokeRoleRequest.newBuilder().setUser("sten").setRoom(room)
                .setRole("moderator").build()).getChanged()).isFalse();
        assertThat(stayerEvents.await("removed", TIMEOUT).get("room").asText()).isEqualTo(room);
    }
}
