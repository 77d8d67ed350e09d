package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.api.v1.DeleteMessagesResponse;
import io.dino.client.DinoException;
import io.dino.client.Position;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.dino.gateway.TestNode.TIMEOUT;
import static io.dino.gateway.e2e.AccessControlTest.refusal;
import static io.dino.gateway.e2e.ChatUser.in;
import static io.dino.gateway.e2e.ChatUser.operator;
import static io.dino.gateway.e2e.ChatUser.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Soft deletion and restore of room messages ({@code delete}, {@code restore}, Moderation.DeleteMessages) on one node (memory engine). */
class DeleteMessagesTest {

    @RegisterExtension
    static final OneNode single = OneNode.withDefaults();

    private static String send(ChatUser user, String room, String text) {
        return user.client().send(room, Map.of("text", text)).join().get("id").asText();
    }

    /** The texts of the room's history as the user pages it back from the latest, {@code limit} at a time. */
    private static List<String> history(ChatUser viewer, String room, int limit) {
        return texts(viewer.client().history(room, limit).join().get("messages"));
    }

    private static List<String> texts(JsonNode messages) {
        List<String> texts = new ArrayList<>();
        messages.forEach(message -> texts.add(message.path("body").path("text").asText()));
        return texts;
    }

    /** What a client that saw the room empty (offset 0 of its epoch) recovers when it joins. */
    private static JsonNode recoveredFromStart(ChatUser joiner, String room, String epoch) {
        return joiner.client().join(room, new Position(epoch, 0)).join();
    }

    private static JsonNode event(ChatUser seer, String type) throws Exception {
        return seer.events().await(e -> e.path("event").asText().equals(type), TIMEOUT);
    }

    @Test
    void theAuthorDeletesTheirOwnMessageWhichLeavesHistoryAndRecoveryForEveryone() throws Exception {
        RoomSetup.staticRoom(single.node(), "dm-own", "Delete own");
        ChatUser alice = in("dm-own", user(single.node(), "dm-alice"));
        ChatUser bob = in("dm-own", user(single.node(), "dm-bob"));
        String first = send(alice, "dm-own", "one");
        send(bob, "dm-own", "two");
        send(alice, "dm-own", "three");

        JsonNode reply = alice.client().deleteMessage("dm-own", first).join();
        assertThat(reply.toString()).isEqualTo("{\"room\":\"dm-own\",\"deleted\":{\"ids\":[\"" + first + "\"]},\"changed\":true}");
        assertThat(event(bob, "deleted").toString())
                .isEqualTo("{\"event\":\"deleted\",\"room\":\"dm-own\",\"by\":\"dm-alice\",\"ids\":[\"" + first + "\"]}");
        event(alice, "deleted");

        assertThat(history(bob, "dm-own", 10)).containsExactly("two", "three");
        String epoch = bob.client().history("dm-own", 1).join().get("epoch").asText();
        JsonNode joined = recoveredFromStart(user(single.node(), "dm-late"), "dm-own", epoch);
        assertThat(joined.get("recovered").asBoolean()).isTrue();
        assertThat(texts(joined.get("messages"))).containsExactly("two", "three");
        assertThat(joined.get("offset").asLong()).isEqualTo(3);
    }

    @Test
    void aStrangerIsRefusedAndAnUnknownIdIsNoSuchMessage() {
        RoomSetup.staticRoom(single.node(), "dm-refuse", "Delete refuse");
        ChatUser alice = in("dm-refuse", user(single.node(), "dm-r-alice"));
        ChatUser bob = in("dm-refuse", user(single.node(), "dm-r-bob"));
        String hers = send(alice, "dm-refuse", "mine");

        DinoException notHers = refusal(bob.client().deleteMessage("dm-refuse", hers));
        assertThat(notHers.name()).isEqualTo("NOT_ALLOWED");
        assertThat(notHers.getMessage()).isEqualTo("not allowed to delete message '" + hers + "' in room 'dm-refuse': only its "
                + "author and the room's moderators may (owners and moderators of the room, owners and admins of its channel, operators)");
        DinoException notAUser = refusal(bob.client().deleteUserMessages("dm-refuse", "dm-r-alice"));
        assertThat(notAUser.getMessage()).isEqualTo("not allowed to delete the messages of 'dm-r-alice' in room 'dm-refuse': "
                + "needs to be an owner or moderator of the room or an owner or admin of its channel");
        assertThat(refusal(bob.client().deleteAllMessages("dm-refuse")).name()).isEqualTo("NOT_ALLOWED");
        DinoException notOperator = refusal(alice.client().restoreMessage("dm-refuse", hers));
        assertThat(notOperator.getMessage()).isEqualTo("not allowed to restore messages in room 'dm-refuse': only operators "
                + "may restore deleted messages");

        DinoException unknown = refusal(alice.client().deleteMessage("dm-refuse", "01ARZ3NDEKTSV4RRFFQ69G5FAV"));
        assertThat(unknown.code()).isEqualTo(4043);
        assertThat(unknown.name()).isEqualTo("NO_SUCH_MESSAGE");
        DinoException wrongOffset = refusal(alice.client().deleteMessage("dm-refuse", hers, 7));
        assertThat(wrongOffset.name()).isEqualTo("NO_SUCH_MESSAGE");
        assertThat(history(bob, "dm-refuse", 10)).containsExactly("mine");
        assertThat(bob.events().events("deleted")).isEmpty();
    }

    @Test
    void aModeratorDeletesAUsersMessagesThenAllAndAnOperatorRestoresThem() throws Exception {
        RoomSetup.staticRoom(single.node(), "dm-mod", "Delete mod");
        RoomSetup.grantRoomRole(single.node(), "dm-mod", "dm-m-mod", "moderator");
        ChatUser mod = in("dm-mod", user(single.node(), "dm-m-mod"));
        ChatUser spammer = in("dm-mod", user(single.node(), "dm-m-spam"));
        ChatUser carol = in("dm-mod", user(single.node(), "dm-m-carol"));
        send(spammer, "dm-mod", "spam 1");
        send(carol, "dm-mod", "hello");
        send(spammer, "dm-mod", "spam 2");

        JsonNode byUser = mod.client().deleteUserMessages("dm-mod", "dm-m-spam").join();
        String epoch = byUser.get("deleted").get("epoch").asText();
        assertThat(byUser.toString()).isEqualTo("{\"room\":\"dm-mod\",\"deleted\":{\"user\":\"dm-m-spam\",\"epoch\":\"" + epoch
                + "\",\"offset\":3},\"changed\":true}");
        assertThat(event(carol, "deleted").toString()).isEqualTo("{\"event\":\"deleted\",\"room\":\"dm-mod\",\"by\":\"dm-m-mod\","
                + "\"user\":\"dm-m-spam\",\"epoch\":\"" + epoch + "\",\"offset\":3}");
        send(spammer, "dm-mod", "sorry");  // after the cutoff: shown
        assertThat(history(carol, "dm-mod", 10)).containsExactly("hello", "sorry");

        carol.events().clear();
        JsonNode all = mod.client().deleteAllMessages("dm-mod").join();
        assertThat(all.get("deleted").toString()).isEqualTo("{\"all\":true,\"epoch\":\"" + epoch + "\",\"offset\":4}");
        assertThat(event(carol, "deleted").get("all").asBoolean()).isTrue();
        send(carol, "dm-mod", "fresh start");
        assertThat(history(carol, "dm-mod", 10)).containsExactly("fresh start");
        assertThat(texts(recoveredFromStart(user(single.node(), "dm-m-late"), "dm-mod", epoch).get("messages")))
                .containsExactly("fresh start");

        ChatUser op = in("dm-mod", operator(single.node(), "dm-m-op"));
        JsonNode restoredAll = op.client().restoreAllMessages("dm-mod").join();
        assertThat(restoredAll.toString()).isEqualTo("{\"room\":\"dm-mod\",\"restored\":{\"all\":true},\"changed\":true}");
        assertThat(event(carol, "restored").toString())
                .isEqualTo("{\"event\":\"restored\",\"room\":\"dm-mod\",\"by\":\"dm-m-op\",\"all\":true}");
        assertThat(history(carol, "dm-mod", 10)).containsExactly("spam 1", "hello", "spam 2", "sorry", "fresh start");
        assertThat(op.client().restoreAllMessages("dm-mod").join().get("changed").asBoolean()).isFalse();
    }

    @Test
    void restoringAMessageOrAUserBringsBackOnlyWhatThatDeletionHid() throws Exception {
        RoomSetup.staticRoom(single.node(), "dm-back", "Delete back");
        ChatUser alice = in("dm-back", user(single.node(), "dm-b-alice"));
        ChatUser bob = in("dm-back", user(single.node(), "dm-b-bob"));
        ChatUser op = in("dm-back", operator(single.node(), "dm-b-op"));
        String a1 = send(alice, "dm-back", "a1");
        send(bob, "dm-back", "b1");
        alice.client().deleteMessage("dm-back", a1).join();
        op.client().deleteUserMessages("dm-back", "dm-b-bob").join();
        assertThat(history(alice, "dm-back", 10)).isEmpty();

        JsonNode restored = op.client().restoreMessage("dm-back", a1).join();
        assertThat(restored.toString()).isEqualTo("{\"room\":\"dm-back\",\"restored\":{\"ids\":[\"" + a1 + "\"]},\"changed\":true}");
        assertThat(history(alice, "dm-back", 10)).containsExactly("a1");
        op.client().restoreUserMessages("dm-back", "dm-b-bob").join();
        assertThat(history(alice, "dm-back", 10)).containsExactly("a1", "b1");
        JsonNode event = alice.events().await(e -> e.path("event").asText().equals("restored") && e.has("user"), TIMEOUT);
        assertThat(event.toString()).isEqualTo("{\"event\":\"restored\",\"room\":\"dm-back\",\"by\":\"dm-b-op\",\"user\":\"dm-b-bob\"}");
    }

    @Test
    void aPageWithDeletedMessagesReadsOnUntilItHoldsTheLimit() {
        RoomSetup.staticRoom(single.node(), "dm-page", "Delete page");
        ChatUser alice = in("dm-page", user(single.node(), "dm-p-alice"));
        ChatUser spammer = in("dm-page", user(single.node(), "dm-p-spam"));
        ChatUser op = in("dm-page", operator(single.node(), "dm-p-op"));
        for (int i = 1; i <= 6; i++) {
            send(alice, "dm-page", "a" + i);
        }
        for (int i = 1; i <= 150; i++) {
            send(spammer, "dm-page", "s" + i);
        }
        op.client().deleteUserMessages("dm-page", "dm-p-spam").join();
        send(alice, "dm-page", "a7");

        assertThat(history(alice, "dm-page", 4)).containsExactly("a4", "a5", "a6", "a7");
        JsonNode older = alice.client().request("history", alice.client().newFields().put("room", "dm-page").put("limit", 4)
                .put("before", 4)).join();
        assertThat(texts(older.get("messages"))).containsExactly("a1", "a2", "a3");
        JsonNode newer = alice.client().request("history", alice.client().newFields().put("room", "dm-page").put("limit", 2)
                .put("after", 5)).join();
        assertThat(texts(newer.get("messages"))).containsExactly("a6", "a7");
    }

    @Test
    void aModeratorWhoIsNoOperatorMayNotDeleteAnOperatorsMessages() {
        RoomSetup.staticRoom(single.node(), "dm-ops", "Delete ops");
        RoomSetup.grantRoomRole(single.node(), "dm-ops", "dm-o-mod", "moderator");
        ChatUser mod = in("dm-ops", user(single.node(), "dm-o-mod"));
        ChatUser op = in("dm-ops", operator(single.node(), "dm-o-op"));
        String ops = send(op, "dm-ops", "operator speaking");

        DinoException byUser = refusal(mod.client().deleteUserMessages("dm-ops", "dm-o-op"));
        assertThat(byUser.getMessage()).isEqualTo("not allowed to delete the messages of 'dm-o-op': an operator, whose "
                + "messages only operators may delete");
        assertThat(refusal(mod.client().deleteMessage("dm-ops", ops)).name()).isEqualTo("NOT_ALLOWED");
        assertThat(history(mod, "dm-ops", 10)).containsExactly("operator speaking");
        assertThat(operator(single.node(), "dm-o-other").client().deleteMessage("dm-ops", ops).join().get("changed").asBoolean())
                .isTrue();
        assertThat(history(mod, "dm-ops", 10)).isEmpty();
    }

    @Test
    void pagesForwardAndBackAcrossTheRoomsCutoffHoldOnlyTheLaterMessages() {
        RoomSetup.staticRoom(single.node(), "dm-fwd", "Delete forward");
        ChatUser op = in("dm-fwd", operator(single.node(), "dm-f-op"));
        for (int i = 1; i <= 120; i++) {
            send(op, "dm-fwd", "old" + i);
        }
        op.client().deleteAllMessages("dm-fwd").join();
        send(op, "dm-fwd", "new1");
        send(op, "dm-fwd", "new2");
        JsonNode forward = op.client().request("history", op.client().newFields().put("room", "dm-fwd").put("limit", 2)
                .put("after", 0)).join();
        assertThat(texts(forward.get("messages"))).containsExactly("new1", "new2");
        JsonNode back = op.client().request("history", op.client().newFields().put("room", "dm-fwd").put("limit", 5)
                .put("before", 122)).join();
        assertThat(texts(back.get("messages"))).containsExactly("new1");
    }

    @Test
    void aBackendDeletesAndRestoresThroughTheModerationService() throws Exception {
        RoomSetup.staticRoom(single.node(), "dm-grpc", "Delete grpc");
        ChatUser alice = in("dm-grpc", user(single.node(), "dm-g-alice"));
        String id = send(alice, "dm-grpc", "bad");
        send(alice, "dm-grpc", "good");

        DeleteMessagesResponse deleted = single.backend().deleteMessage("dm-grpc", id, "");
        assertThat(deleted.getMessageIdsList()).containsExactly(id);
        assertThat(deleted.getChanged()).isTrue();
        assertThat(event(alice, "deleted").get("by").asText()).isEqualTo("system");
        assertThat(history(alice, "dm-grpc", 10)).containsExactly("good");

        assertThat(single.backend().restoreMessage("dm-grpc", id, "").getMessageIdsList()).containsExactly(id);
        assertThat(history(alice, "dm-grpc", 10)).containsExactly("bad", "good");
        DeleteMessagesResponse all = single.backend().deleteAllMessages("dm-grpc", "dm-g-admin");
        assertThat(all.getAll()).isTrue();
        assertThat(all.getOffset()).isEqualTo(2);
        assertThat(history(alice, "dm-grpc", 10)).isEmpty();
        assertThat(single.backend().restoreAllMessages("dm-grpc", "dm-g-admin").getChanged()).isTrue();
        assertThat(history(alice, "dm-grpc", 10)).containsExactly("bad", "good");

        StatusRuntimeException missing = catchThrowableOfType(StatusRuntimeException.class,
                () -> single.backend().deleteMessage("dm-grpc", "01ARZ3NDEKTSV4RRFFQ69G5FAV", ""));
        assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        StatusRuntimeException noTarget = catchThrowableOfType(StatusRuntimeException.class,
                () -> single.backend().moderationStub()
                        .deleteMessages(io.dino.api.v1.DeleteMessagesRequest.newBuilder().setRoom("dm-grpc").build()));
        assertThat(noTarget.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }
}
