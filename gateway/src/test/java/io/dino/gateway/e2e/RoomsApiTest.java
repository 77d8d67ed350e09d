package io.dino.gateway.e2e;

import io.dino.api.client.DinoBackendClient;
import io.dino.api.v1.Channel;
import io.dino.api.v1.CreateRoomRequest;
import io.dino.api.v1.Room;
import io.dino.api.v1.RoomKind;
import io.dino.api.v1.UpdateRoomRequest;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Rooms service through a real node's gRPC port (memory engine), via DinoBackendClient. */
class RoomsApiTest {

    @RegisterExtension
    static final OneNode single = OneNode.withDefaults();

    private static void expect(ThrowableAssert.ThrowingCallable call, Status.Code code, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).isEqualTo(message);
        });
    }

    @Test
    void channelsAreCreatedUpdatedListedAndRemovedWhenEmpty() {
        Channel created = single.backend().createChannel("api-c", "Api", 3, List.of("b", "a"), Map.of("create", " role=member "));
        assertThat(created.getTagsList()).containsExactly("a", "b");
        assertThat(created.getRulesMap()).isEqualTo(Map.of("create", "role=member"));
        expect(() -> single.backend().createChannel("api-c", "", 0, List.of(), Map.of()), Status.Code.ALREADY_EXISTS,
                "channel 'api-c' exists");
        expect(() -> single.backend().createChannel("bad id", "", 0, List.of(), Map.of()), Status.Code.INVALID_ARGUMENT,
                "channel may contain only letters, digits and . _ : - (got ' ')");
        expect(() -> single.backend().createChannel("api-bad", "", 0, List.of(), Map.of("fly", "role=x")),
                Status.Code.INVALID_ARGUMENT,
                "unknown action 'fly' (channel actions: list, create, message, crossroom, whisper)");
        assertThat(single.backend().channels()).extracting(Channel::getId).contains("default", "api-c");

        assertThat(single.backend().updateChannel("api-c", "Api 2", 4, List.of(), Map.of()).getName()).isEqualTo("Api 2");
        expect(() -> single.backend().updateChannel("api-none", "", 0, List.of(), Map.of()),
                Status.Code.NOT_FOUND, "no channel 'api-none'");
        assertThat(single.backend().setChannelAcl("api-c", Map.of("list", "role=staff"))).isZero();
        assertThat(single.backend().channelAcl("api-c")).isEqualTo(Map.of("list", "role=staff"));
        expect(() -> single.backend().channelAcl("api-none"), Status.Code.NOT_FOUND, "no channel 'api-none'");

        Room room = single.backend().createRoom("api-c", "Only", RoomKind.ROOM_KIND_STATIC);
        expect(() -> single.backend().removeChannel("api-c"), Status.Code.INVALID_ARGUMENT,
                "channel 'api-c' still has rooms: remove them first");
        expect(() -> single.backend().removeChannel("default"), Status.Code.INVALID_ARGUMENT,
                "the default channel cannot be removed");
        single.backend().removeRoom(room.getId());
        single.backend().removeChannel("api-c");
        expect(() -> single.backend().removeChannel("api-c"), Status.Code.NOT_FOUND, "no channel 'api-c'");
        assertThat(single.backend().channels()).extracting(Channel::getId).doesNotContain("api-c");
    }

    @Test
    void roomsAreCreatedWithRolesReadListedUpdatedRenamedAndRemoved() throws Exception {
        Room created = single.backend().createRoom(CreateRoomRequest.newBuilder().setId("api-lobby").setName("Lobby")
                .setKind(RoomKind.ROOM_KIND_STATIC).setCapacity(10).setTopic("hi").addOwners("olga").addModerators("max").build());
        assertThat(created.getChannel()).isEqualTo("default");
        assertThat(created.getOwnersList()).containsExactly("olga");
        assertThat(created.getModeratorsList()).containsExactly("max");
        assertThat(created.getMembershipEvents()).isTrue();
        assertThat(single.backend().createRoom("", "Admin", RoomKind.ROOM_KIND_EPHEMERAL).getId())
                .as("reserved names are for users only; generated ids").startsWith("r-");
        expect(() -> single.backend().createRoom("", "LOBBY", RoomKind.ROOM_KIND_STATIC), Status.Code.ALREADY_EXISTS,
                "a room named 'LOBBY' exists in channel 'default'");
        expect(() -> single.backend().createRoom(CreateRoomRequest.newBuilder().setId("api-lobby").setName("Other")
                .setKind(RoomKind.ROOM_KIND_STATIC).build()), Status.Code.ALREADY_EXISTS, "room 'api-lobby' exists");
        expect(() -> single.backend().createRoom("api-nochan", "x", RoomKind.ROOM_KIND_STATIC),
                Status.Code.NOT_FOUND, "no channel 'api-nochan'");
        expect(() -> single.backend().createRoom("", "x", RoomKind.ROOM_KIND_UNSPECIFIED), Status.Code.INVALID_ARGUMENT,
                "kind must be static, ephemeral or private");
        expect(() -> single.backend().createRoom("", "x".repeat(41), RoomKind.ROOM_KIND_STATIC), Status.Code.INVALID_ARGUMENT,
                "room name must be 1-40 characters without control characters");

        EventRecorder events = new EventRecorder();
        DinoClient ann = single.node().client("api-ann", events);
        ann.join("api-lobby").join();
        Room read = single.backend().room("api-lobby");
        assertThat(read.getUsers()).isEqualTo(1);
        assertThat(read.getCapacity()).isEqualTo(10);
        assertThat(single.backend().rooms("")).extracting(Room::getName).containsSubsequence("Admin", "Lobby");

        Room updated = single.backend()
                .updateRoom(UpdateRoomRequest.newBuilder().setRoom("api-lobby").setTopic("new topic").build());
        assertThat(updated.getTopic()).isEqualTo("new topic");
        assertThat(updated.getCapacity()).as("unset fields stay").isEqualTo(10);
        expect(() -> single.backend()
                        .updateRoom(UpdateRoomRequest.newBuilder().setRoom("api-lobby").setSetMembers(true).addMembers("x").build()),
                Status.Code.INVALID_ARGUMENT, "only a private room has members");

        assertThat(single.backend().renameRoom("api-lobby", "Hall").getName()).isEqualTo("Hall");
        assertThat(events.await("renamed", TIMEOUT).get("name").asText()).isEqualTo("Hall");
        expect(() -> single.backend().renameRoom("api-none", "x"), Status.Code.NOT_FOUND, "no room 'api-none'");

        single.backend().removeRoom("api-lobby");
        assertThat(events.await("removed", TIMEOUT).get("reason").asText()).isEqualTo("room removed");
        expect(() -> single.backend().room("api-lobby"), Status.Code.NOT_FOUND, "no room 'api-lobby'");
        expect(() -> single.backend().removeRoom("api-lobby"), Status.Code.NOT_FOUND, "no room 'api-lobby'");
    }

    @Test
    void aPrivateRoomsMembersChangeTakesOutThoseDroppedAtOnce() throws Exception {
        single.backend().createRoom(CreateRoomRequest.newBuilder().setId("api-dm").setName("dm")
                .setKind(RoomKind.ROOM_KIND_PRIVATE).addMembers("api-pia").addMembers("api-pat").build());
        Room dropped = single.backend()
                .updateRoom(UpdateRoomRequest.newBuilder().setRoom("api-dm").setSetMembers(true).addMembers("api-pia").build());
        assertThat(dropped.getMembersList()).containsExactly("api-pia");
        assertThat(single.backend().room("api-dm").getMembersList()).containsExactly("api-pia");
        assertThat(single.node().client("api-pia", Set.of(), Map.of(), new EventRecorder()).browse("default").join().get("rooms")
                .toString()).contains("api-dm");
    }
}
