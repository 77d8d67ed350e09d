package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.client.DinoClient;
import io.dino.client.DinoException;
import io.dino.client.EventRecorder;
import io.dino.client.Position;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.dino.gateway.TestNode.TIMEOUT;
import static io.dino.gateway.e2e.AccessControlTest.refusal;
import static io.dino.gateway.e2e.ChatUser.user;
import static org.assertj.core.api.Assertions.assertThat;

/** Delivered and read receipts, and the unacknowledged private messages at connect, through real sockets (memory engine). */
class ReceiptsTest {

    @RegisterExtension
    static final OneNode single = OneNode.withDefaults();

    static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    static JsonNode awaitReceipt(ChatUser user, String kind, long offset) throws Exception {
        return user.events().await(event -> event.path("event").asText().equals("receipt")
                && event.path("kind").asText().equals(kind) && event.path("offset").asLong() == offset, TIMEOUT);
    }

    @Test
    void privateMessagesSentWhileOfflineComeWithTheConnectUntilAcknowledged() throws Exception {
        ChatUser alice = user(single.node(), "rc-alice");
        JsonNode first = alice.client().sendPrivate("rc-bob", Map.of("text", "one")).join();
        JsonNode second = alice.client().sendPrivate("rc-bob", Map.of("text", "two")).join();

        ChatUser bob = user(single.node(), "rc-bob");
        JsonNode unacked = bob.unacked();
        assertThat(unacked.size()).isEqualTo(2);
        assertThat(unacked.get(0).path("id").asText()).isEqualTo(first.path("id").asText());
        assertThat(unacked.get(0).path("offset").asLong()).isEqualTo(1);
        assertThat(unacked.get(0).path("epoch").asText()).isEqualTo(first.path("epoch").asText());
        assertThat(unacked.get(0).path("from").asText()).isEqualTo("rc-alice");
        assertThat(unacked.get(0).path("body").path("text").asText()).isEqualTo("one");
        assertThat(unacked.get(1).path("offset").asLong()).isEqualTo(2);
        assertThat(bob.client().connectResult().path("inbox").has("more")).isFalse();

        // acknowledged up to the first: the second comes again with the next connect
        JsonNode acked = bob.client().inboxReceipt("delivered", 1).join();
        assertThat(acked.toString()).isEqualTo("{\"inbox\":true,\"epoch\":\"" + first.path("epoch").asText()
                + "\",\"delivered\":1,\"read\":0}");
        bob.client().close();
        bob = user(single.node(), "rc-bob");
        assertThat(bob.unacked().size()).isEqualTo(1);
        assertThat(bob.unacked().get(0).path("id").asText()).isEqualTo(second.path("id").asText());

        bob.client().inboxReceipt("delivered", 2).join();
        bob.client().close();
        bob = user(single.node(), "rc-bob");
        assertThat(bob.client().connectResult().path("inbox").has("unacked")).isFalse();
        assertThat(bob.client().connectResult().path("inbox").path("offset").asLong()).isEqualTo(2);
    }

    @Test
    void theSenderIsToldOfDeliveryAndReadingWithTheIdsOfItsMessagesAndMayAsk() throws Exception {
        ChatUser alice = user(single.node(), "rs-alice");
        ChatUser carol = user(single.node(), "rs-carol");
        ChatUser bob = user(single.node(), "rs-bob");
        JsonNode fromAlice = alice.client().sendPrivate("rs-bob", Map.of("text", "hi")).join();
        JsonNode fromCarol = carol.client().sendPrivate("rs-bob", Map.of("text", "yo")).join();
        JsonNode fromAlice2 = alice.client().sendPrivate("rs-bob", Map.of("text", "there?")).join();
        String epoch = fromAlice.path("epoch").asText();

        assertThat(alice.client().privateReceipts("rs-bob", 1).join().toString())
                .isEqualTo("{\"to\":\"rs-bob\",\"offset\":1,\"delivered\":false,\"read\":false}");

        bob.client().inboxReceipt("delivered", 3).join();
        JsonNode delivered = awaitReceipt(alice, "delivered", 3);
        assertThat(delivered.toString()).isEqualTo("{\"event\":\"receipt\",\"to\":\"rs-bob\",\"user\":\"rs-bob\",\"kind\":\"delivered\","
                + "\"epoch\":\"" + epoch + "\",\"offset\":3,\"ids\":[\"" + fromAlice.path("id").asText() + "\",\""
                + fromAlice2.path("id").asText() + "\"]}");
        assertThat(texts(awaitReceipt(carol, "delivered", 3).path("ids"))).containsExactly(fromCarol.path("id").asText());

        JsonNode read = bob.client().request("receipt", bob.client().newFields().put("inbox", true).put("kind", "read")
                .put("offset", 1).put("epoch", epoch)).join();
        assertThat(read.path("delivered").asLong()).isEqualTo(3);
        assertThat(read.path("read").asLong()).isEqualTo(1);
        assertThat(texts(awaitReceipt(alice, "read", 1).path("ids"))).containsExactly(fromAlice.path("id").asText());

        assertThat(alice.client().privateReceipts("rs-bob", 1).join().toString())
                .isEqualTo("{\"to\":\"rs-bob\",\"offset\":1,\"delivered\":true,\"read\":true}");
        assertThat(alice.client().privateReceipts("rs-bob", 3).join().path("read").asBoolean()).isFalse();
        assertThat(bob.client().privateReceipts("rs-bob", 3).join().path("delivered").asBoolean()).isTrue();
        // alice did not send offset 2 (carol did): to her it is no message of hers
        assertThat(refusal(alice.client().privateReceipts("rs-bob", 2)).name()).isEqualTo("NO_SUCH_MESSAGE");
        assertThat(refusal(alice.client().privateReceipts("rs-bob", 9)).name()).isEqualTo("NO_SUCH_MESSAGE");
    }

    @Test
    void receiptsAreMonotonicAndAStaleOneChangesNothingNorIsRelayed() throws Exception {
        ChatUser alice = user(single.node(), "rm-alice");
        ChatUser bob = user(single.node(), "rm-bob");
        for (int i = 0; i < 4; i++) {
            alice.client().sendPrivate("rm-bob", Map.of("n", i)).join();
        }
        assertThat(bob.client().inboxReceipt("read", 3).join().path("read").asLong()).isEqualTo(3);
        awaitReceipt(alice, "read", 3);
        JsonNode lower = bob.client().inboxReceipt("read", 2).join();
        assertThat(lower.path("read").asLong()).isEqualTo(3);
        assertThat(lower.path("delivered").asLong()).isEqualTo(3);
        JsonNode otherEpoch = bob.client().request("receipt", bob.client().newFields().put("inbox", true).put("kind", "read")
                .put("offset", 4).put("epoch", "not-the-epoch")).join();
        assertThat(otherEpoch.path("read").asLong()).isEqualTo(3);
        // the marker that moved after them is the next receipt alice hears of
        bob.client().inboxReceipt("delivered", 4).join();
        awaitReceipt(alice, "delivered", 4);
        assertThat(alice.events().events("receipt")).hasSize(2);

        DinoException beyond = refusal(bob.client().inboxReceipt("read", 5));
        assertThat(beyond.name()).isEqualTo("INVALID_VALUE");
        assertThat(refusal(bob.client().inboxReceipt("seen", 1)).name()).isEqualTo("INVALID_VALUE");
    }

    @Test
    void roomReceiptsAreToldToTheRoomAndAnsweredToMembersOnly() throws Exception {
        ChatUser alice = user(single.node(), "rr-alice");
        ChatUser bob = user(single.node(), "rr-bob");
        ChatUser carol = user(single.node(), "rr-carol");
        ChatUser outsider = user(single.node(), "rr-out");
        for (ChatUser member : List.of(alice, bob, carol)) {
            member.client().join("rr-room").join();
        }
        JsonNode sent = alice.client().send("rr-room", Map.of("text", "hello")).join();
        alice.client().send("rr-room", Map.of("text", "again")).join();

        JsonNode reply = bob.client().receipt("rr-room", "read", 1).join();
        assertThat(reply.toString()).isEqualTo("{\"room\":\"rr-room\",\"epoch\":\"" + sent.path("epoch").asText()
                + "\",\"delivered\":1,\"read\":1}");
        JsonNode told = awaitReceipt(alice, "read", 1);
        assertThat(told.toString()).isEqualTo("{\"event\":\"receipt\",\"room\":\"rr-room\",\"user\":\"rr-bob\",\"kind\":\"read\","
                + "\"epoch\":\"" + sent.path("epoch").asText() + "\",\"offset\":1}");
        awaitReceipt(carol, "read", 1);
        carol.client().receipt("rr-room", "delivered", 2).join();
        awaitReceipt(alice, "delivered", 2);

        JsonNode first = alice.client().receipts("rr-room", 1).join();
        assertThat(first.toString()).isEqualTo("{\"room\":\"rr-room\",\"offset\":1,\"delivered\":[\"rr-bob\",\"rr-carol\"],"
                + "\"deliveredCount\":2,\"read\":[\"rr-bob\"],\"readCount\":1}");
        JsonNode second = alice.client().receipts("rr-room", 2).join();
        assertThat(texts(second.path("delivered"))).containsExactly("rr-carol");
        assertThat(second.path("readCount").asInt()).isZero();

        assertThat(refusal(outsider.client().receipts("rr-room", 1)).name()).isEqualTo("NOT_IN_ROOM");
        assertThat(refusal(outsider.client().receipt("rr-room", "read", 1)).name()).isEqualTo("NOT_IN_ROOM");
        assertThat(refusal(alice.client().receipts("rr-room", 3)).name()).isEqualTo("NO_SUCH_MESSAGE");
        assertThat(outsider.events().events("receipt")).isEmpty();
    }

    @Test
    void aDinoSessionHandsTheUnacknowledgedMessagesToOnMessageBeforeTheLiveOnes() throws Exception {
        ChatUser alice = user(single.node(), "rd-alice");
        JsonNode first = alice.client().sendPrivate("rd-bob", Map.of("text", "one")).join();
        EventRecorder messages = new EventRecorder();
        io.dino.client.DinoSession session = io.dino.client.DinoSession
                .builder(List.of(single.node().wsUri()), () -> single.node().token("rd-bob"))
                .onMessage(messages).build();
        try {
            session.start().join();
            JsonNode second = alice.client().sendPrivate("rd-bob", Map.of("text", "two")).join();
            List<JsonNode> delivered = messages.awaitCount(event -> true, 2, TIMEOUT);
            assertThat(delivered.stream().map(event -> event.path("event").asText() + " " + event.path("msg").path("id").asText()))
                    .containsExactly("private " + first.path("id").asText(), "private " + second.path("id").asText());
        } finally {
            session.close();
        }
    }

    @Test
    void aConnectThatRecoversItsInboxGetsNoUnackedList() throws Exception {
        ChatUser alice = user(single.node(), "rv-alice");
        JsonNode sent = alice.client().sendPrivate("rv-bob", Map.of("text", "one")).join();
        EventRecorder events = new EventRecorder();
        DinoClient bob = single.node().rawClient(events);
        JsonNode connected = bob.authenticate(single.node().token("rv-bob"), new Position(sent.path("epoch").asText(), 0)).join();
        assertThat(connected.path("inbox").has("unacked")).isFalse();
        assertThat(connected.path("inbox").path("recovered").asBoolean()).isTrue();
        assertThat(connected.path("inbox").path("messages").size()).isEqualTo(1);
    }

    @Test
    void theUnackedListIsBoundedByTheHistoryMaxLimitAndSaysThereIsMore() throws Exception {
        try (TestNode small = TestNode.start(Map.of("dino.history.max-limit", "2", "dino.history.default-limit", "2",
                "dino.receipts.room-relay-max-members", "1"))) {
            ChatUser alice = user(small, "rb-alice");
            for (int i = 0; i < 3; i++) {
                alice.client().sendPrivate("rb-bob", Map.of("n", i)).join();
            }
            ChatUser bob = user(small, "rb-bob");
            assertThat(bob.unacked().size()).isEqualTo(2);
            assertThat(bob.client().connectResult().path("inbox").path("more").asBoolean()).isTrue();
            JsonNode rest = bob.client().request("history", bob.client().newFields().put("inbox", true).put("after", 2)).join();
            assertThat(rest.path("messages").size()).isEqualTo(1);

            // a room of more members than room-relay-max-members: receipts are stored, not told
            alice.client().join("rb-room").join();
            bob.client().join("rb-room").join();
            alice.client().send("rb-room", Map.of("text", "hi")).join();
            bob.client().receipt("rb-room", "read", 1).join();
            assertThat(alice.client().receipts("rb-room", 1).join().path("readCount").asInt()).isEqualTo(1);
            alice.client().sendPrivate("rb-bob", Map.of("text", "marker")).join();
            bob.client().inboxReceipt("delivered", 4).join();
            awaitReceipt(alice, "delivered", 4);  // told after the room receipt would have been: none came
            assertThat(alice.events().events("receipt")).hasSize(1);
        }
    }
}
