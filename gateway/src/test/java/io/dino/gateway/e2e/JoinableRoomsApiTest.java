package io.dino.gateway.e2e;

import io.dino.api.v1.CreateRoomRequest;
import io.dino.api.v1.ListJoinableRoomsResponse;
import io.dino.api.v1.Room;
import io.dino.api.v1.RoleScope;
import io.dino.api.v1.RoomKind;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ListJoinableRooms through the gRPC port (memory engine): the rooms a user's join would get into, decided as the
 * join decides, checked against real joins of the same users.
 */
class JoinableRoomsApiTest {

    @RegisterExtension
    static final OneNode single = OneNode.withDefaults();

    @BeforeAll
    static void start() {
        single.backend().createChannel("jr-games", "Games", 5, List.of(), Map.of());
        single.backend().createChannel("jr-first", "First", -5, List.of(), Map.of());
        room("jr-games", "jr-open", "Open", RoomKind.ROOM_KIND_STATIC, Map.of(), Set.of());
        room("jr-games", "jr-adults", "adults", RoomKind.ROOM_KIND_STATIC, Map.of("join", "age=18:"), Set.of());
        room("jr-games", "jr-vips", "Vips", RoomKind.ROOM_KIND_STATIC, Map.of("join", "role=vip"), Set.of());
        room("jr-games", "jr-owned", "Owned", RoomKind.ROOM_KIND_STATIC, Map.of("join", "role=owner"), Set.of());
        room("jr-games", "jr-pair", "Pair", RoomKind.ROOM_KIND_PRIVATE, Map.of(), Set.of("jr-ann", "jr-ben"));
        room("jr-games", "jr-other", "Other pair", RoomKind.ROOM_KIND_PRIVATE, Map.of(), Set.of("jr-carl", "jr-dan"));
        room("jr-games", "jr-chat", "Chat", RoomKind.ROOM_KIND_EPHEMERAL, Map.of(), Set.of());
        room("jr-first", "jr-zed", "Zed", RoomKind.ROOM_KIND_STATIC, Map.of(), Set.of());
        single.backend().grantRole(RoleScope.ROLE_SCOPE_ROOM, "jr-owned", "jr-ann", "owner");
        single.backend().updateRoom(io.dino.api.v1.UpdateRoomRequest.newBuilder().setRoom("jr-open").setCapacity(1).build());
    }

    private static void room(String channel, String id, String name, RoomKind kind, Map<String, String> rules, Set<String> members) {
        single.backend().createRoom(CreateRoomRequest.newBuilder().setId(id).setChannel(channel).setName(name).setKind(kind)
                .addAllMembers(members).build());
        if (!rules.isEmpty()) {
            single.backend().setRoomAcl(id, rules);
        }
    }

    private static List<String> ids(ListJoinableRoomsResponse response) {
        return response.getRoomsList().stream().map(Room::getId).toList();
    }

    @Test
    void aUserGetsTheRoomsWhoseJoinPassesByChannelThenName() {
        ListJoinableRoomsResponse ann = single.backend().joinableRooms("jr-ann", List.of(), Map.of("age", "30"), "jr-games");
        assertThat(ids(ann)).containsExactly("jr-adults", "jr-chat", "jr-open", "jr-owned", "jr-pair");
        assertThat(ann.getTruncated()).isFalse();
        Room adults = ann.getRooms(0);
        assertThat(adults.getName()).isEqualTo("adults");
        assertThat(adults.getChannel()).isEqualTo("jr-games");
        assertThat(adults.getKind()).isEqualTo(RoomKind.ROOM_KIND_STATIC);
        assertThat(ann.getRooms(1).getKind()).isEqualTo(RoomKind.ROOM_KIND_EPHEMERAL);

        assertThat(ids(single.backend().joinableRooms("jr-teen", List.of("vip"), Map.of("age", "15"), "jr-games")))
                .containsExactly("jr-chat", "jr-open", "jr-vips");
        assertThat(ids(single.backend().joinableRooms("jr-carl", List.of(), Map.of(), "jr-games")))
                .as("no age: the adults' rule fails; carl is listed in the other pair")
                .containsExactly("jr-chat", "jr-open", "jr-other");
    }

    @Test
    void everyChannelIsListedInChannelOrderWithoutAFilter() {
        List<String> all = ids(single.backend().joinableRooms("jr-ben", List.of(), Map.of(), ""));
        assertThat(all).containsSubsequence("jr-zed", "jr-chat", "jr-open", "jr-pair");
        assertThat(all.indexOf("jr-zed")).as("channel jr-first sorts before default and jr-games").isLessThan(all.indexOf("jr-chat"));
        assertThat(all).doesNotContain("jr-adults", "jr-vips", "jr-owned", "jr-other");
    }

    @Test
    void operatorsGetEveryRoom() {
        assertThat(ids(single.backend().joinableRooms("jr-op", List.of("globalmod"), Map.of(), "jr-games")))
                .containsExactly("jr-adults", "jr-chat", "jr-open", "jr-other", "jr-owned", "jr-pair", "jr-vips");
        assertThat(ids(single.backend().joinableRooms("jr-root", List.of("superuser"), Map.of(), "jr-first")))
                .containsExactly("jr-zed");
    }

    @Test
    void theListAgreesWithWhatJoinsDo() {
        List<String> listed = ids(single.backend().joinableRooms("jr-ann", List.of(), Map.of("age", "30"), "jr-games"));
        DinoClient ann = single.node().client("jr-ann", Set.of(), Map.of("age", "30"), new EventRecorder());
        for (String room : List.of("jr-adults", "jr-chat", "jr-owned", "jr-pair", "jr-vips", "jr-other")) {
            boolean joined = ann.join(room).handle((reply, error) -> error == null).join();
            assertThat(joined).as(room).isEqualTo(listed.contains(room));
            if (joined) {
                ann.leave(room).join();
            }
        }
    }

    @Test
    void aFullRoomIsStillListed() {
        DinoClient ben = single.node().client("jr-ben", new EventRecorder());
        ben.join("jr-open").join();
        assertThat(ids(single.backend().joinableRooms("jr-dan", List.of(), Map.of(), "jr-games"))).contains("jr-open");
        ben.leave("jr-open").join();
    }

    @Test
    void moreThanAThousandRoomsAreTruncated() {
        // after jr-games: lists of every channel reach jr-games first
        single.backend().createChannel("jr-many", "", 10, List.of(), Map.of());
        for (int i = 0; i < 1001; i++) {
            single.backend().createRoom(CreateRoomRequest.newBuilder().setId(String.format("jr-m%04d", i)).setChannel("jr-many")
                    .setName(String.format("m%04d", i)).setKind(RoomKind.ROOM_KIND_STATIC).build());
        }
        single.backend().setRoomAcl("jr-m0003", Map.of("join", "deny"));
        ListJoinableRoomsResponse many = single.backend().joinableRooms("jr-eve", List.of(), Map.of(), "jr-many");
        assertThat(many.getRoomsCount()).isEqualTo(1000);
        assertThat(many.getTruncated()).isFalse();
        assertThat(ids(many)).doesNotContain("jr-m0003").endsWith("jr-m1000");

        single.backend().setRoomAcl("jr-m0003", Map.of());
        ListJoinableRoomsResponse all = single.backend().joinableRooms("jr-eve", List.of(), Map.of(), "jr-many");
        assertThat(all.getRoomsCount()).isEqualTo(1000);
        assertThat(all.getTruncated()).isTrue();
        assertThat(ids(all)).startsWith("jr-m0000").endsWith("jr-m0999");
    }

    @Test
    void anUnknownChannelIsNotFoundAndABadUserInvalid() {
        assertThatThrownBy(() -> single.backend().joinableRooms("jr-ann", List.of(), Map.of(), "jr-none"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).isEqualTo("no channel 'jr-none'");
                });
        assertThatThrownBy(() -> single.backend().joinableRooms("", List.of(), Map.of(), ""))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }
}
