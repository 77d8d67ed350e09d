package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/** Browser clients chatting through one node, over real WebSockets. */
class ChatTest {

    private static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void twoClientsInARoomSeeTheSameMessagesInTheSameOrder() throws Exception {
        EventRecorder aliceEvents = new EventRecorder();
        EventRecorder bobEvents = new EventRecorder();
        DinoClient alice = node.client("alice", aliceEvents);
        DinoClient bob = node.client("bob", bobEvents);
        alice.join("ordered").join();
        bob.join("ordered").join();

        for (int i = 0; i < 20; i++) {
            (i % 2 == 0 ? alice : bob).send("ordered", Map.of("n", i)).join();
        }

        List<JsonNode> seenByAlice = aliceEvents.awaitCount(e -> isMessageIn(e, "ordered"), 20, TIMEOUT);
        List<JsonNode> seenByBob = bobEvents.awaitCount(e -> isMessageIn(e, "ordered"), 20, TIMEOUT);
        assertThat(offsets(seenByAlice)).isEqualTo(offsets(seenByBob)).isEqualTo(offsetsFrom(1, 20));
        assertThat(ids(seenByAlice)).isEqualTo(ids(seenByBob)).doesNotHaveDuplicates();
        assertThat(seenByAlice).extracting(e -> e.at("/msg/body/n").asInt())
                .containsExactlyElementsOf(IntStream.range(0, 20).boxed().toList());
        assertThat(seenByBob.getFirst().at("/msg/from").asText()).isEqualTo("alice");
        assertThat(seenByBob.get(1).at("/msg/from").asText()).isEqualTo("bob");
    }

    @Test
    void sendReplyCarriesTheStoredPositionAndTheSenderComesFromTheSession() throws Exception {
        EventRecorder events = new EventRecorder();
        DinoClient carol = node.client("carol", events);
        JsonNode joined = carol.join("positions").join();
        assertThat(joined.get("offset").asLong()).isZero();
        assertThat(joined.get("epoch").asText()).as("a room without messages has no epoch yet").isEmpty();

        JsonNode accepted = carol.send("positions", Map.of("text", "hi", "from", "mallory")).join();

        assertThat(accepted.get("epoch").asText()).isNotEmpty();
        assertThat(accepted.get("offset").asLong()).isEqualTo(1);
        JsonNode message = events.await(e -> isMessageIn(e, "positions"), TIMEOUT).get("msg");
        assertThat(message.get("id").asText()).isEqualTo(accepted.get("id").asText());
        assertThat(message.get("from").asText()).isEqualTo("carol");
        assertThat(message.get("ts").asLong()).isEqualTo(accepted.get("ts").asLong());
        assertThat(message.at("/body/from").asText()).isEqualTo("mallory");
    }

    @Test
    void joinAndLeaveAreAnnouncedOncePerUserNotPerSession() throws Exception {
        EventRecorder watcherEvents = new EventRecorder();
        DinoClient watcher = node.client("watcher", watcherEvents);
        watcher.join("presence").join();
        DinoClient daveTab1 = node.client("dave", new EventRecorder());
        DinoClient daveTab2 = node.client("dave", new EventRecorder());

        daveTab1.join("presence").join();
        JsonNode afterSecondJoin = daveTab2.join("presence").join();
        assertThat(afterSecondJoin.get("members")).extracting(JsonNode::asText).containsExactly("dave", "watcher");
        daveTab1.leave("presence").join();
        assertThat(watcher.members("presence").join().get("members")).extracting(JsonNode::asText)
                .containsExactly("dave", "watcher");
        daveTab2.leave("presence").join();

        watcherEvents.await(e -> e.path("event").asText().equals("left") && e.path("user").asText().equals("dave"), TIMEOUT);
        assertThat(watcherEvents.events("joined")).filteredOn(e -> e.get("user").asText().equals("dave")).hasSize(1);
        assertThat(watcherEvents.events("left")).filteredOn(e -> e.get("user").asText().equals("dave")).hasSize(1);
        assertThat(watcher.members("presence").join().get("members")).extracting(JsonNode::asText).containsExactly("watcher");
    }

    @Test
    void closingTheSocketLeavesItsRooms() throws Exception {
        EventRecorder watcherEvents = new EventRecorder();
        DinoClient watcher = node.client("watcher2", watcherEvents);
        watcher.join("closing").join();
        DinoClient erin = node.client("erin", new EventRecorder());
        erin.join("closing").join();

        erin.close();

        watcherEvents.await(e -> e.path("event").asText().equals("left") && e.path("user").asText().equals("erin"), TIMEOUT);
        assertThat(watcher.members("closing").join().get("members")).extracting(JsonNode::asText).containsExactly("watcher2");
    }

    @Test
    void privateMessageReachesEverySessionOfTheRecipientOnly() throws Exception {
        EventRecorder phone = new EventRecorder();
        EventRecorder laptop = new EventRecorder();
        EventRecorder bystander = new EventRecorder();
        node.client("frank", phone);
        node.client("frank", laptop);
        node.client("grace", bystander).ping().join();
        DinoClient sender = node.client("heidi", new EventRecorder());

        JsonNode accepted = sender.sendPrivate("frank", "psst").join();

        for (EventRecorder session : List.of(phone, laptop)) {
            JsonNode message = session.await("private", TIMEOUT).get("msg");
            assertThat(message.get("from").asText()).isEqualTo("heidi");
            assertThat(message.get("to").asText()).isEqualTo("frank");
            assertThat(message.get("body").asText()).isEqualTo("psst");
            assertThat(message.get("offset").asLong()).isEqualTo(accepted.get("offset").asLong());
        }
        sender.ping().join();
        assertThat(bystander.events("private")).isEmpty();
    }

    @Test
    void historyReturnsTheLatestMessagesOldestFirst() {
        DinoClient ivan = node.client("ivan", new EventRecorder());
        ivan.join("history").join();
        for (int i = 1; i <= 5; i++) {
            ivan.send("history", "m" + i).join();
        }

        JsonNode history = ivan.history("history", 3).join();

        assertThat(history.get("offset").asLong()).isEqualTo(5);
        assertThat(history.get("messages")).extracting(m -> m.get("body").asText()).containsExactly("m3", "m4", "m5");
        assertThat(history.get("messages")).extracting(m -> m.get("offset").asLong()).containsExactly(3L, 4L, 5L);
        assertThat(history.get("messages").get(0).get("room").asText()).isEqualTo("history");
    }

    @Test
    void historyPagesBackwardsAndForwardsWithBeforeAndAfter() {
        DinoClient kai = node.client("kai", new EventRecorder());
        kai.join("pages").join();
        for (int i = 1; i <= 9; i++) {
            kai.send("pages", "p" + i).join();
        }
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();

        JsonNode older = kai.request("history", json.createObjectNode().put("room", "pages").put("limit", 3).put("before", 4)).join();
        JsonNode newer = kai.request("history", json.createObjectNode().put("room", "pages").put("limit", 3).put("after", 7)).join();

        assertThat(older.get("messages")).extracting(m -> m.get("body").asText()).containsExactly("p1", "p2", "p3");
        assertThat(newer.get("messages")).extracting(m -> m.get("body").asText()).containsExactly("p8", "p9");
        assertThat(older.get("offset").asLong()).isEqualTo(9);
        assertThat(kai.request("history", json.createObjectNode().put("room", "pages").put("before", 4).put("after", 1))
                .handle((result, error) -> error.getMessage()).join()).contains("before or after, not both");
    }

    @Test
    void theInboxHasItsOwnHistory() {
        DinoClient sender = node.client("nora", new EventRecorder());
        for (int i = 1; i <= 3; i++) {
            sender.sendPrivate("lena", "note " + i).join();
        }
        DinoClient lena = node.client("lena", new EventRecorder());

        JsonNode inbox = lena.request("history", new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("inbox", true).put("limit", 2)).join();

        assertThat(inbox.get("inbox").asBoolean()).isTrue();
        assertThat(inbox.get("offset").asLong()).isEqualTo(3);
        assertThat(inbox.get("messages")).extracting(m -> m.get("body").asText()).containsExactly("note 2", "note 3");
        assertThat(inbox.get("messages")).allSatisfy(m -> assertThat(m.get("to").asText()).isEqualTo("lena"));
    }

    @Test
    void pingAnswersWithTheServerTime() {
        DinoClient judy = node.client("judy", new EventRecorder());
        long before = System.currentTimeMillis();
        assertThat(judy.ping().join().get("ts").asLong()).isBetween(before - 1000, System.currentTimeMillis() + 1000);
    }

    private static boolean isMessageIn(JsonNode event, String room) {
        return event.path("event").asText().equals("message") && event.at("/msg/room").asText().equals(room);
    }

    private static List<Long> offsets(List<JsonNode> events) {
        return events.stream().map(e -> e.at("/msg/offset").asLong()).toList();
    }

    private static List<String> ids(List<JsonNode> events) {
        return events.stream().map(e -> e.at("/msg/id").asText()).toList();
    }

    private static List<Long> offsetsFrom(long first, long last) {
        return java.util.stream.LongStream.rangeClosed(first, last).boxed().toList();
    }
}
