package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dino.api.v1.SetRoomAclRequest;
import io.dino.client.DinoClient;
import io.dino.client.DinoException;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import io.dino.gateway.engine.Directory.RoomKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static io.dino.gateway.TestNode.TIMEOUT;
import static io.dino.gateway.e2e.AccessControlTest.refusal;
import static org.assertj.core.api.Assertions.assertThat;

/** Whispers through real sockets, on one node (memory engine): who gets them, who does not, and what refuses them. */
class WhisperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static DinoClient in(String room, String user, EventRecorder events) {
        DinoClient client = node.client(user, events);
        client.join(room).join();
        return client;
    }

    private static boolean isWhisper(JsonNode event, String body) {
        return "private".equals(event.path("event").asText()) && body.equals(event.path("msg").path("body").asText());
    }

    private static List<JsonNode> inbox(DinoClient client) {
        JsonNode page = client.request("history", JSON.createObjectNode().put("inbox", true)).join();
        return List.copyOf(JSON.convertValue(page.get("messages"), JSON.getTypeFactory()
                .constructCollectionType(List.class, JsonNode.class)));
    }

    private static void assertRefused(CompletableFuture<JsonNode> reply, String name, String message) {
        DinoException error = refusal(reply);
        assertThat(error.name()).isEqualTo(name);
        assertThat(error.getMessage()).isEqualTo(message);
    }

    @Test
    void theRecipientsAndTheSendersOtherSessionsGetAWhisperAndNoOtherMember() throws Exception {
        EventRecorder aliceTab2 = new EventRecorder();
        EventRecorder bob = new EventRecorder();
        EventRecorder carol = new EventRecorder();
        EventRecorder dave = new EventRecorder();
        DinoClient alice = in("wh-lobby", "wh-alice", new EventRecorder());
        in("wh-lobby", "wh-alice", aliceTab2);
        in("wh-lobby", "wh-bob", bob);
        in("wh-lobby", "wh-carol", carol);
        DinoClient daveClient = in("wh-lobby", "wh-dave", dave);

        JsonNode reply = alice.whisper("wh-lobby", List.of("wh-bob", "wh-carol"), "psst").join();

        for (EventRecorder recipient : List.of(bob, carol, aliceTab2)) {
            JsonNode msg = recipient.await(event -> isWhisper(event, "psst"), TIMEOUT).get("msg");
            assertThat(msg.get("from").asText()).isEqualTo("wh-alice");
            assertThat(msg.get("whisper").asText()).isEqualTo("wh-lobby");
            assertThat(msg.get("recipients")).extracting(JsonNode::asText).containsExactly("wh-bob", "wh-carol");
        }
        JsonNode senderCopy = aliceTab2.await(event -> isWhisper(event, "psst"), TIMEOUT).get("msg");
        assertThat(senderCopy.get("to").asText()).isEqualTo("wh-alice");
        assertThat(senderCopy.get("id").asText()).isEqualTo(reply.get("id").asText());
        assertThat(senderCopy.get("offset").asLong()).isEqualTo(reply.get("offset").asLong());

        // dave, in the room too, gets the room's next message but never the whisper, live or in his inbox
        alice.send("wh-lobby", "aloud").join();
        dave.await(event -> "aloud".equals(event.path("msg").path("body").asText()), TIMEOUT);
        assertThat(dave.events()).noneMatch(event -> isWhisper(event, "psst"));
        assertThat(inbox(daveClient)).isEmpty();
    }

    @Test
    void aWhisperIsStoredInTheInboxesWithItsRoomAndRecipients() {
        DinoClient alice = in("wh-stored", "wh-sa", new EventRecorder());
        DinoClient bob = in("wh-stored", "wh-sb", new EventRecorder());
        alice.whisper("wh-stored", List.of("wh-sb"), "kept").join();

        for (DinoClient client : List.of(alice, bob)) {
            List<JsonNode> messages = inbox(client);
            assertThat(messages).hasSize(1);
            assertThat(messages.getFirst().get("whisper").asText()).isEqualTo("wh-stored");
            assertThat(messages.getFirst().get("recipients")).extracting(JsonNode::asText).containsExactly("wh-sb");
            assertThat(messages.getFirst().get("body").asText()).isEqualTo("kept");
        }
    }

    @Test
    void aRecipientNotInTheRoomRefusesTheWholeWhisper() {
        DinoClient alice = in("wh-absent", "wh-aa", new EventRecorder());
        DinoClient bob = in("wh-absent", "wh-ab", new EventRecorder());
        node.client("wh-elsewhere", new EventRecorder()).join("wh-other").join();

        assertRefused(alice.whisper("wh-absent", List.of("wh-ab", "wh-elsewhere"), "hi"), "INVALID_VALUE",
                "'wh-elsewhere' is not in room 'wh-absent'");
        assertRefused(alice.whisper("wh-absent", List.of("wh-nobody"), "hi"), "INVALID_VALUE",
                "'wh-nobody' is not in room 'wh-absent'");
        assertThat(inbox(bob)).isEmpty();
        assertThat(inbox(alice)).isEmpty();
    }

    @Test
    void anInvisibleMemberCountsAsPresentAndARefusalNamesOnlyTheAbsent() throws Exception {
        DinoClient alice = in("wh-ghosts", "wh-ga", new EventRecorder());
        EventRecorder ghostEvents = new EventRecorder();
        DinoClient ghost = node.operatorClient("wh-ghost", ghostEvents);
        ghost.setStatus("invisible").join();
        ghost.join("wh-ghosts").join();
        assertThat(alice.members("wh-ghosts").join().get("members")).extracting(JsonNode::asText).containsExactly("wh-ga");

        assertRefused(alice.whisper("wh-ghosts", List.of("wh-ghost", "wh-gone"), "both?"), "INVALID_VALUE",
                "'wh-gone' is not in room 'wh-ghosts'");
        alice.whisper("wh-ghosts", List.of("wh-ghost"), "seen you").join();
        ghostEvents.await(event -> isWhisper(event, "seen you"), TIMEOUT);
    }

    @Test
    void theSessionMustBeInTheRoom() {
        DinoClient alice = node.client("wh-out", new EventRecorder());
        in("wh-inside", "wh-in", new EventRecorder());
        assertRefused(alice.whisper("wh-inside", List.of("wh-in"), "hi"), "NOT_IN_ROOM",
                "join room 'wh-inside' before whispering in it");
    }

    @Test
    void theChannelsWhisperRuleAndTheRoomsMessageRuleDecide() {
        RoomSetup.channel(node, "wh-chan", Map.of("whisper", "role=whisperer"));
        RoomSetup.room(node, "wh-quiet", "wh-chan", "Quiet", RoomKind.STATIC, 0, Set.of(), true);
        DinoClient plain = in("wh-quiet", "wh-plain", new EventRecorder());
        DinoClient whisperer = node.client("wh-whisperer", Set.of("whisperer"), Map.of(), new EventRecorder());
        whisperer.join("wh-quiet").join();

        assertRefused(plain.whisper("wh-quiet", List.of("wh-whisperer"), "hi"), "NOT_ALLOWED",
                "not allowed to whisper in room 'wh-quiet': needs role=whisperer");
        assertThat(whisperer.whisper("wh-quiet", List.of("wh-plain"), "hi").join().get("offset").asLong()).isEqualTo(1);
        // a plain send is not a whisper: the channel's whisper rule does not guard it
        plain.send("wh-quiet", "aloud").join();

        node.backend().setRoomAcl(SetRoomAclRequest.newBuilder().setRoom("wh-quiet").putRules("message", "deny").build());
        assertRefused(whisperer.whisper("wh-quiet", List.of("wh-plain"), "hi"), "NOT_ALLOWED",
                "not allowed to whisper in room 'wh-quiet': needs deny");
    }

    @Test
    void recipientsAndBodyAreChecked() {
        DinoClient alice = in("wh-checks", "wh-ca", new EventRecorder());
        in("wh-checks", "wh-cb", new EventRecorder());
        assertRefused(alice.whisper("wh-checks", List.of(), "hi"), "INVALID_VALUE", "to must name 1-20 users");
        assertRefused(alice.whisper("wh-checks", IntStream.range(0, 21).mapToObj(i -> "u" + i).toList(), "hi"),
                "INVALID_VALUE", "to must name 1-20 users");
        assertRefused(alice.whisper("wh-checks", List.of("wh-cb", "wh-cb"), "hi"), "INVALID_VALUE", "to names 'wh-cb' twice");
        assertRefused(alice.whisper("wh-checks", List.of("wh-ca"), "hi"), "INVALID_VALUE",
                "to must not name yourself: your sessions get the whisper anyway");
        assertRefused(alice.whisper("wh-checks", List.of("wh-cb"), " "), "EMPTY_MESSAGE", "body must not be empty");
        assertRefused(alice.whisper("wh-checks", List.of("wh-cb"), "x".repeat(20_000)), "MESSAGE_TOO_LARGE",
                "the body is larger than 16384 bytes");
    }
}
