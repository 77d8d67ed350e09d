package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.api.client.DinoBackendClient;
import io.dino.client.DinoClient;
import io.dino.client.DinoException;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.dino.gateway.TestNode.TIMEOUT;
import static io.dino.gateway.e2e.AccessControlTest.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** The {@code kick} command and the Moderation service's KickUser through real sockets (memory engine). */
class KickTest {

    private static TestNode node;
    private static DinoBackendClient backend;

    @BeforeAll
    static void start() {
        node = TestNode.start();
        backend = DinoBackendClient.builder("127.0.0.1", node.grpcPort()).apiKey(TestNode.API_KEY).build();
    }

    @AfterAll
    static void stop() {
        backend.close();
        node.close();
    }

    /** A connected client with its events. */
    private record User(DinoClient client, EventRecorder events) {
    }

    private static User user(String name) {
        EventRecorder events = new EventRecorder();
        return new User(node.client(name, events), events);
    }

    private static User in(String room, User user) {
        user.client().join(room).join();
        return user;
    }

    private static List<String> members(User viewer, String room) {
        return java.util.stream.StreamSupport.stream(viewer.client().members(room).join().get("members").spliterator(), false)
                .map(JsonNode::asText).toList();
    }

    private static void assertKicked(User seer, String room, String user, String by, String reason) throws Exception {
        JsonNode kicked = seer.events().await(event -> event.path("event").asText().equals("kicked")
                && event.path("user").asText().equals(user), TIMEOUT);
        assertThat(kicked.toString()).isEqualTo("{\"event\":\"kicked\",\"room\":\"" + room + "\",\"user\":\"" + user
                + "\",\"by\":\"" + by + "\",\"reason\":\"" + reason + "\"}");
    }

    /** The user is out of the room everywhere: the members list (as another sees it) no longer names it. */
    private static void awaitOut(User viewer, String room, String user) {
        await().atMost(TIMEOUT).until(() -> !members(viewer, room).contains(user));
    }

    @Test
    void anOwnerKicksAMemberWhoIsToldAndTakenOutWithoutALeftAndMayJoinAgain() throws Exception {
        RoomSetup.staticRoom(node, "kk-hall", "Kick hall");
        RoomSetup.grantRoomRole(node, "kk-hall", "kk-owner", "owner");
        User owner = in("kk-hall", user("kk-owner"));
        User member = in("kk-hall", user("kk-member"));
        User other = in("kk-hall", user("kk-other"));

        JsonNode reply = owner.client().kick("kk-hall", "kk-member", "spamming").join();
        assertThat(reply.toString()).isEqualTo("{\"room\":\"kk-hall\",\"user\":\"kk-member\",\"sessions\":1}");
        assertKicked(member, "kk-hall", "kk-member", "kk-owner", "spamming");
        assertKicked(owner, "kk-hall", "kk-member", "kk-owner", "spamming");
        assertKicked(other, "kk-hall", "kk-member", "kk-owner", "spamming");
        awaitOut(owner, "kk-hall", "kk-member");

        DinoException notIn = refusal(member.client().send("kk-hall", Map.of("text", "still here?")));
        assertThat(notIn.name()).isEqualTo("NOT_IN_ROOM");
        // a marker after the kick: a join announced to the room; no `left` of the kicked user came before it
        in("kk-hall", user("kk-marker"));
        other.events().await(event -> event.path("event").asText().equals("joined")
                && event.path("user").asText().equals("kk-marker"), TIMEOUT);
        assertThat(other.events().events("left")).isEmpty();
        assertThat(other.events().events("kicked")).hasSize(1);

        // a kick is not a ban: the member may come back
        member.client().join("kk-hall").join();
        assertThat(members(owner, "kk-hall")).contains("kk-member");
    }

    @Test
    void aStrangerIsRefusedAndAKickOfSomeoneNotInTheRoomTakesOutNobody() {
        RoomSetup.staticRoom(node, "kk-refuse", "Kick refuse");
        in("kk-refuse", user("kk-target"));
        User stranger = in("kk-refuse", user("kk-stranger"));
        DinoException refused = refusal(stranger.client().kick("kk-refuse", "kk-target", null));
        assertThat(refused.name()).isEqualTo("NOT_ALLOWED");
        assertThat(refused.getMessage()).isEqualTo("not allowed to kick in room 'kk-refuse': needs to be an owner or "
                + "moderator of the room or an owner or admin of its channel");
        assertThat(members(stranger, "kk-refuse")).contains("kk-target");

        User op = user("kk-op-refuse");
        op = new User(node.operatorClient("kk-op-refuse", op.events()), op.events());
        assertThat(op.client().kick("kk-refuse", "kk-nobody", null).join().get("sessions").asInt()).isZero();
        DinoException tooLong = refusal(op.client().kick("kk-refuse", "kk-target", "x".repeat(201)));
        assertThat(tooLong.name()).isEqualTo("INVALID_VALUE");
    }

    @Test
    void aRoomModeratorAndAChannelAdminMayKick() throws Exception {
        backend.createChannel("kk-chan", "", 0, List.of(), Map.of());
        RoomSetup.room(node, "kk-mod-room", "kk-chan", "Moderated", io.dino.gateway.engine.Directory.RoomKind.STATIC, 0,
                Set.of(), true);
        RoomSetup.grantRoomRole(node, "kk-mod-room", "kk-mod", "moderator");
        RoomSetup.grantChannelRole(node, "kk-chan", "kk-admin", "admin");
        User moderator = in("kk-mod-room", user("kk-mod"));
        User admin = in("kk-mod-room", user("kk-admin"));
        User first = in("kk-mod-room", user("kk-first"));
        User second = in("kk-mod-room", user("kk-second"));

        assertThat(moderator.client().kick("kk-mod-room", "kk-first", null).join().get("sessions").asInt()).isEqualTo(1);
        assertKicked(first, "kk-mod-room", "kk-first", "kk-mod", "");
        assertThat(admin.client().kick("kk-mod-room", "kk-second", "bye").join().get("sessions").asInt()).isEqualTo(1);
        assertKicked(second, "kk-mod-room", "kk-second", "kk-admin", "bye");
        awaitOut(admin, "kk-mod-room", "kk-first");
        awaitOut(admin, "kk-mod-room", "kk-second");
    }

    @Test
    void anOperatorCannotBeKickedByAnOwnerButByAnotherOperator() throws Exception {
        RoomSetup.staticRoom(node, "kk-ops", "Kick ops");
        RoomSetup.grantRoomRole(node, "kk-ops", "kk-ops-owner", "owner");
        User owner = in("kk-ops", user("kk-ops-owner"));
        EventRecorder opEvents = new EventRecorder();
        User op = in("kk-ops", new User(node.operatorClient("kk-ops-op", opEvents), opEvents));

        DinoException refused = refusal(owner.client().kick("kk-ops", "kk-ops-op", null));
        assertThat(refused.name()).isEqualTo("NOT_ALLOWED");
        assertThat(refused.getMessage()).isEqualTo("not allowed to kick 'kk-ops-op': an operator, whom only operators may kick");
        assertThat(members(owner, "kk-ops")).contains("kk-ops-op");

        EventRecorder otherEvents = new EventRecorder();
        User otherOp = in("kk-ops", new User(node.operatorClient("kk-ops-op2", otherEvents), otherEvents));
        assertThat(otherOp.client().kick("kk-ops", "kk-ops-op", "").join().get("sessions").asInt()).isEqualTo(1);
        assertKicked(op, "kk-ops", "kk-ops-op", "kk-ops-op2", "");
        awaitOut(owner, "kk-ops", "kk-ops-op");
    }

    @Test
    void everySessionOfTheUserIsTakenOut() throws Exception {
        RoomSetup.staticRoom(node, "kk-two", "Kick two");
        User tab1 = in("kk-two", user("kk-twice"));
        User tab2 = in("kk-two", user("kk-twice"));
        User stays = in("kk-two", user("kk-stays"));
        EventRecorder opEvents = new EventRecorder();
        DinoClient op = node.operatorClient("kk-two-op", opEvents);

        assertThat(op.kick("kk-two", "kk-twice", null).join().get("sessions").asInt()).isEqualTo(2);
        assertKicked(tab1, "kk-two", "kk-twice", "kk-two-op", "");
        assertKicked(tab2, "kk-two", "kk-twice", "kk-two-op", "");
        assertKicked(stays, "kk-two", "kk-twice", "kk-two-op", "");
        awaitOut(stays, "kk-two", "kk-twice");
        assertThat(refusal(tab1.client().send("kk-two", "x")).name()).isEqualTo("NOT_IN_ROOM");
        assertThat(refusal(tab2.client().send("kk-two", "x")).name()).isEqualTo("NOT_IN_ROOM");
        assertThat(stays.events().events("kicked")).hasSize(1);
    }

    @Test
    void theModerationServiceKicksAsTheSystemAndNeedsAnApiKey() throws Exception {
        RoomSetup.staticRoom(node, "kk-grpc", "Kick grpc");
        EventRecorder opEvents = new EventRecorder();
        User op = in("kk-grpc", new User(node.operatorClient("kk-grpc-op", opEvents), opEvents));
        User watcher = in("kk-grpc", user("kk-grpc-watcher"));

        assertThat(backend.kickUser("kk-grpc", "kk-grpc-op", "by the backend", "")).isEqualTo(1);
        assertKicked(op, "kk-grpc", "kk-grpc-op", "system", "by the backend");
        assertKicked(watcher, "kk-grpc", "kk-grpc-op", "system", "by the backend");
        awaitOut(watcher, "kk-grpc", "kk-grpc-op");
        assertThat(backend.kickUser("kk-grpc", "kk-grpc-op", "", "")).as("no longer in the room").isZero();

        watcher.client().join("kk-grpc").join();
        assertThat(backend.kickUser("kk-grpc", "kk-grpc-watcher", "", "mod-bot")).isEqualTo(1);
        assertKicked(watcher, "kk-grpc", "kk-grpc-watcher", "mod-bot", "");

        StatusRuntimeException invalid = catchThrowableOfType(StatusRuntimeException.class,
                () -> backend.kickUser("kk-grpc", "", "", ""));
        assertThat(invalid.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        try (DinoBackendClient keyless = DinoBackendClient.builder("127.0.0.1", node.grpcPort()).apiKey("wrong").build()) {
            StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                    () -> keyless.kickUser("kk-grpc", "kk-grpc-watcher", "", ""));
            assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            // the Rooms service is guarded as its documentation says (it was not, before the Moderation service)
            StatusRuntimeException rooms = catchThrowableOfType(StatusRuntimeException.class,
                    () -> keyless.roomsStub().listChannels(io.dino.api.v1.ListChannelsRequest.getDefaultInstance()));
            assertThat(rooms.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        }
    }

}
