package io.dino.gateway.cluster;

import io.dino.api.client.DinoBackendClient;
import io.dino.api.v1.Room;
import io.dino.api.v1.RoomKind;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes on one Redis, both sweeping (no leader): an ephemeral room emptied on node A is removed, by whichever
 * node gets there first, for both; a room occupied on node B stays.
 */
class EphemeralSweepClusterTest {

    private static RedisServer redis;
    private static TestNode a;
    private static TestNode b;
    private static DinoBackendClient backendOnA;
    private static DinoBackendClient backendOnB;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        a = node("a");
        b = node("b");
        backendOnA = DinoBackendClient.builder("127.0.0.1", a.grpcPort()).apiKey(TestNode.API_KEY).build();
        backendOnB = DinoBackendClient.builder("127.0.0.1", b.grpcPort()).apiKey(TestNode.API_KEY).build();
    }

    private static TestNode node(String id) {
        return TestNode.start(Map.of("dino.engine", "redis", "dino.redis.uri", redis.uri(), "dino.node-id", id,
                "dino.cluster.heartbeat-interval", "PT0.5S", "dino.cluster.node-timeout", "PT5S",
                "dino.rooms.ephemeral-linger", "PT1S"));
    }

    @AfterAll
    static void stop() {
        backendOnA.close();
        backendOnB.close();
        a.close();
        b.close();
        redis.close();
    }

    @Test
    void aRoomEmptiedOnNodeAIsRemovedForBothNodesAndAnOccupiedOneOnNodeBStays() {
        backendOnA.createChannel("es-chan", "", 0, List.of(), Map.of());
        DinoClient onA = a.client("es-ann", new EventRecorder());
        DinoClient onB = b.client("es-ben", new EventRecorder());
        String emptied = onA.createRoom(onA.newFields().put("kind", "ephemeral").put("name", "Emptied").put("channel", "es-chan"))
                .join().get("room").asText();
        String occupied = backendOnB.createRoom("es-chan", "Occupied", RoomKind.ROOM_KIND_EPHEMERAL).getId();
        onA.join(emptied).join();
        onB.join(occupied).join();
        onA.leave(emptied).join();

        await().atMost(TIMEOUT).until(() -> backendOnB.rooms("es-chan").stream().map(Room::getId).noneMatch(emptied::equals));
        assertThatThrownBy(() -> backendOnA.room(emptied)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThat(backendOnA.rooms("es-chan")).extracting(Room::getId).containsExactly(occupied);
        assertThat(onB.rooms().join().get("rooms").toString()).contains(occupied);
    }
}
