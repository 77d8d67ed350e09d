package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.api.client.DinoBackendClient;
import io.dino.client.DinoClient;
import io.dino.client.DinoException;
import io.dino.client.EventRecorder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.dino.gateway.TestNode.TIMEOUT;
import static io.dino.gateway.e2e.AccessControlTest.refusal;
import static io.dino.gateway.e2e.ChatUser.in;
import static io.dino.gateway.e2e.ChatUser.members;
import static io.dino.gateway.e2e.ChatUser.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** The {@code kick} command and the Moderation service's KickUser through real sockets (memory engine). */
class KickTest {

    @RegisterExtension
    static final OneNode single = OneNode.withDefaults();

    private static void assertKicked(ChatUser seer, String room, String user, String by, String reason) throws Exception {
        JsonNode kicked = seer.events().await(event -> event.path("event").asText().equals("kicked")
                && event.path("user").asText().equals(user), TIMEOUT);
        assertThat(kicked.toString()).isEqualTo("{\"event\":\"kicked\",\"room\":\"" + room + "\",\"user\":\"" + user
                + "\",\"by\":\"" + by + "\",\"reason\":\"" + reason + "\"}");
    }

    /** The user is out of the room everywhere: the members list (as another sees it) no longer names it. */
    private static void awaitOut(ChatUser viewer, String room, String user) {
        await().atMost(TIMEOUT).until(() -> !members(viewer, room).contains(user));
    }

    @Test
    void anOwnerKicksAMemberWhoIsToldAndTakenOutWithoutALeftAndMayJoinAgain() throws Exception {
        RoomSetup.staticRoom(single.node(), "kk-hall", "Kick hall");
        RoomSetup.grantRoomRole(single.node(), "kk-hall", "kk-owner", "owner");
        ChatUser owner = in("kk-hall", user(single.node(), "kk-owner"));
        ChatUser member = in("kk-hall", user(single.node(), "kk-member"));
        ChatUser other = in("kk-hall", user(single.node(), "kk-other"));

        JsonNode reply = owner.client().kick("kk-hall", "kk-member", "spamming").join();
        assertThat(reply.toString()).isEqualTo("{\"room\":\"kk-hall\",\"user\":\"kk-member\",\"sessions\":1}");
        assertKicked(member, "kk-hall", "kk-member", "kk-owner", "spamming");
        assertKicked(owner, "kk-hall", "kk-member", "kk-owner", "spamming");
        assertKicked(other, "kk-hall", "kk-member", "kk-owner", "spamming");
        awaitOut(owner, "kk-hall", "kk-member");

        DinoException notIn = refusal(member.client().send("kk-hall", Map.of("text", "still here?")));
        assertThat(notIn.name()).isEqualTo("NOT_IN_ROOM");
        // a marker after the kick: a join announced to the room; no `left` of the kicked user came before it
        in("kk-hall", user(single.node(), "kk-marker"));
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
        RoomSetup.staticRoom(single.node(), "kk-refuse", "Kick refuse");
        in("kk-refuse", user(single.node(), "kk-target"));
        ChatUser stranger = in("kk-refuse", user(single.node(), "kk-stranger"));
        DinoException refused = refusal(stranger.client().kick("kk-refuse", "kk-target", null));
        assertThat(refused.name()).isEqualTo("NOT_ALLOWED");
        assertThat(refused.getMessage()).isEqualTo("not allowed to kick in room 'kk-refuse': needs to be an owner or "
                + "moderator of the room or an owner or admin of its channel");
        assertThat(members(stranger, "kk-refuse")).contains("kk-target");

        ChatUser op = user(single.node(), "kk-op-refuse");
        op = new ChatUser(single.node().operatorClient("kk-op-refuse", op.events()), op.events());
        assertThat(op.client().kick("kk-refuse", "kk-nobody", null).join().get("sessions").asInt()).isZero();
        DinoException tooLong = refusal(op.client().kick("kk-refuse", "kk-target", "x".repeat(201)));
        assertThat(tooLong.name()).isEqualTo("INVALID_VALUE");
    }

    @Test
    void aRoomModeratorAndAChannelAdminMayKick() throws Exception {
        single.backend().createChannel("kk-chan", "", 0, List.of(), Map.of());
        RoomSetup.room(single.node(), "kk-mod-room", "kk-chan", "Moderated", io.dino.gateway.engine.Directory.RoomKind.STATIC, 0,
                Set.of(), true);
        RoomSetup.grantRoomRole(single.node(), "kk-mod-room", "kk-mod", "moderator");
        RoomSetup.grantChannelRole(single.node(), "kk-chan", "kk-admin", "admin");
        ChatUser moderator = in("kk-mod-room", user(single.node(), "kk-mod"));
        ChatUser admin = in("kk-mod-room", user(single.node(), "kk-admin"));
        ChatUser first = in("kk-mod-room", user(single.node(), "kk-first"));
        ChatUser second = in("kk-mod-room", user(single.node(), "kk-second"));

        assertThat(moderator.client().kick("kk-mod-room", "kk-first", null).join().get("sessions").asInt()).isEqualTo(1);
        assertKicked(first, "kk-mod-room", "kk-first", "kk-mod", "");
        assertThat(admin.client().kick("kk-mod-room", "kk-second", "bye").join().get("sessions").asInt()).isEqualTo(1);
        assertKicked(second, "kk-mod-room", "kk-second", "kk-admin", "bye");
        awaitOut(admin, "kk-mod-room", "kk-first");
        awaitOut(admin, "kk-mod-room", "kk-second");
    }

    @Test
    void anOperatorCannotBeKickedByAnOwnerButByAnotherOperator() throws Exception {
        RoomSetup.staticRoom(single.node(), "kk-ops", "Kick ops");
        RoomSetup.grantRoomRole(single.node(), "kk-ops", "kk-ops-owner", "owner");
        ChatUser owner = in("kk-ops", user(single.node(), "kk-ops-owner"));
        EventRecorder opEvents = new EventRecorder();
        ChatUser op = in("kk-ops", new ChatUser(single.node().operatorClient("kk-ops-op", opEvents), opEvents));

        DinoException refused = refusal(owner.client().kick("kk-ops", "kk-ops-op", null));
        assertThat(refused.name()).isEqualTo("NOT_ALLOWED");
        assertThat(refused.getMessage()).isEqualTo("not allowed to kick 'kk-ops-op': an operator, whom only operators may kick");
        assertThat(members(owner, "kk-ops")).contains("kk-ops-op");

        EventRecorder otherEvents = new EventRecorder();
        ChatUser otherOp = in("kk-ops", new ChatUser(single.node().operatorClient("kk-ops-op2", otherEvents), otherEvents));
        assertThat(otherOp.client().kick("kk-ops", "kk-ops-op", "").join().get("sessions").asInt()).isEqualTo(1);
        assertKicked(op, "kk-ops", "kk-ops-op", "kk-ops-op2", "");
        awaitOut(owner, "kk-ops", "kk-ops-op");
    }

    @Test
    void everySessionOfTheUserIsTakenOut() throws Exception {
        RoomSetup.staticRoom(single.node(), "kk-two", "Kick two");
        ChatUser tab1 = in("kk-two", user(single.node(), "kk-twice"));
        ChatUser tab2 = in("kk-two", user(single.node(), "kk-twice"));
        ChatUser stays = in("kk-two", user(single.node(), "kk-stays"));
        EventRecorder opEvents = new EventRecorder();
        DinoClient op = single.node().operatorClient("kk-two-op", opEvents);

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
        RoomSetup.staticRoom(single.node(), "kk-grpc", "Kick grpc");
        EventRecorder opEvents = new EventRecorder();
        ChatUser op = in("kk-grpc", new ChatUser(single.node().operatorClient("kk-grpc-op", opEvents), opEvents));
        ChatUser watcher = in("kk-grpc", user(single.node(), "kk-grpc-watcher"));

        assertThat(single.backend().kickUser("kk-grpc", "kk-grpc-op", "by the backend", "")).isEqualTo(1);
        assertKicked(op, "kk-grpc", "kk-grpc-op", "system", "by the backend");
        assertKicked(watcher, "kk-grpc", "kk-grpc-op", "system", "by the backend");
        awaitOut(watcher, "kk-grpc", "kk-grpc-op");
        assertThat(single.backend().kickUser("kk-grpc", "kk-grpc-op", "", "")).as("no longer in the room").isZero();

        watcher.client().join("kk-grpc").join();
        assertThat(single.backend().kickUser("kk-grpc", "kk-grpc-watcher", "", "mod-bot")).isEqualTo(1);
        assertKicked(watcher, "kk-grpc", "kk-grpc-watcher", "mod-bot", "");

        StatusRuntimeException invalid = catchThrowableOfType(StatusRuntimeException.class,
                () -> single.backend().kickUser("kk-grpc", "", "", ""));
        assertThat(invalid.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        try (DinoBackendClient keyless = DinoBackendClient.builder("127.0.0.1", single.node().grpcPort()).apiKey("wrong").build()) {
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
