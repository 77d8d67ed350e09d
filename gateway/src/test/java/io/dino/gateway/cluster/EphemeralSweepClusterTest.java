package io.dino.gateway.cluster;

import io.dino.api.v1.Room;
import io.dino.api.v1.RoomKind;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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

    @RegisterExtension
    static final TwoRedisNodes cluster = TwoRedisNodes.withSettings(Map.of("dino.rooms.ephemeral-linger", "PT1S"))
            .withBackendClients();

    @Test
    void aRoomEmptiedOnNodeAIsRemovedForBothNodesAndAnOccupiedOneOnNodeBStays() {
        cluster.backendOnA().createChannel("es-chan", "", 0, List.of(), Map.of());
        DinoClient onA = cluster.a().client("es-ann", new EventRecorder());
        DinoClient onB = cluster.b().client("es-ben", new EventRecorder());
        String emptied = onA.createRoom(onA.newFields().put("kind", "ephemeral").put("name", "Emptied").put("channel", "es-chan"))
                .join().get("room").asText();
        String occupied = cluster.backendOnB().createRoom("es-chan", "Occupied", RoomKind.ROOM_KIND_EPHEMERAL).getId();
        onA.join(emptied).join();
        onB.join(occupied).join();
        onA.leave(emptied).join();

        await().atMost(TIMEOUT).until(() -> cluster.backendOnB().rooms("es-chan").stream().map(Room::getId)
                .noneMatch(emptied::equals));
        assertThatThrownBy(() -> cluster.backendOnA().room(emptied)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThat(cluster.backendOnA().rooms("es-chan")).extracting(Room::getId).containsExactly(occupied);
        assertThat(onB.rooms().join().get("rooms").toString()).contains(occupied);
    }
}
