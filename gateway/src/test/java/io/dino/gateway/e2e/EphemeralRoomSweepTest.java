package io.dino.gateway.e2e;

import io.dino.api.v1.Room;
import io.dino.api.v1.RoleScope;
import io.dino.api.v1.RoomKind;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Ephemeral rooms left empty are removed after dino.rooms.ephemeral-linger (1 s here) by the node's own sweep. */
class EphemeralRoomSweepTest {

    @RegisterExtension
    static final OneNode single = OneNode.withSettings(
                Map.of("dino.rooms.ephemeral-linger", "PT1S", "dino.rooms.max-ephemeral-per-user", "2"));

    private static List<String> roomsOf(String channel) {
        return single.backend().rooms(channel).stream().map(Room::getId).toList();
    }

    @Test
    void anEphemeralRoomWhoseLastMemberLeftIsRemovedWhileStaticAndOccupiedRoomsStay() {
        single.backend().createChannel("sw-chan", "", 0, List.of(), Map.of());
        DinoClient ann = single.node().client("sw-ann", new EventRecorder());
        DinoClient ben = single.node().client("sw-ben", new EventRecorder());
        String talk = ann.createRoom(ann.newFields().put("kind", "ephemeral").put("name", "Talk").put("channel", "sw-chan"))
                .join().get("room").asText();
        String busy = ann.createRoom(ann.newFields().put("kind", "ephemeral").put("name", "Busy").put("channel", "sw-chan"))
                .join().get("room").asText();
        String lobby = single.backend().createRoom(io.dino.api.v1.CreateRoomRequest.newBuilder().setId("sw-lobby")
                .setChannel("sw-chan").setName("Lobby").setKind(RoomKind.ROOM_KIND_STATIC).build()).getId();
        ann.join(talk).join();
        ben.join(talk).join();
        ben.join(busy).join();
        ann.leave(talk).join();
        ben.leave(talk).join();

        await().atMost(TIMEOUT).until(() -> !roomsOf("sw-chan").contains(talk));
        assertThat(roomsOf("sw-chan")).containsExactlyInAnyOrder(busy, lobby);
        assertThat(single.backend().roleHolders(RoleScope.ROLE_SCOPE_ROOM, talk)).as("its owner role went with it").isEmpty();
        // the owner's count of ephemeral rooms went down with it (the limit here is 2)
        assertThat(ann.createRoom(ann.newFields().put("kind", "ephemeral").put("name", "Talk").put("channel", "sw-chan"))
                .join().get("room").asText()).isNotEqualTo(talk);
    }

    @Test
    void aRoomRejoinedBeforeTheLingerStays() {
        single.backend().createChannel("sw-back", "", 0, List.of(), Map.of());
        String again = single.backend().createRoom("sw-back", "Again", RoomKind.ROOM_KIND_EPHEMERAL).getId();
        String gone = single.backend().createRoom("sw-back", "Gone", RoomKind.ROOM_KIND_EPHEMERAL).getId();
        DinoClient cat = single.node().client("sw-cat", new EventRecorder());
        cat.join(again).join();
        cat.join(gone).join();
        cat.leave(again).join();
        cat.leave(gone).join();
        cat.join(again).join();

        await().atMost(TIMEOUT).until(() -> !roomsOf("sw-back").contains(gone));
        assertThat(roomsOf("sw-back")).containsExactly(again);
        assertThat(cat.rooms().join().get("rooms").toString()).contains(again);
    }

    @Test
    void aRoomNobodyEverJoinedIsRemovedToo() {
        single.backend().createChannel("sw-idle", "", 0, List.of(), Map.of());
        String idle = single.backend().createRoom("sw-idle", "Idle", RoomKind.ROOM_KIND_EPHEMERAL).getId();
        assertThat(roomsOf("sw-idle")).containsExactly(idle);
        await().atMost(TIMEOUT).until(() -> roomsOf("sw-idle").isEmpty());
    }
}
