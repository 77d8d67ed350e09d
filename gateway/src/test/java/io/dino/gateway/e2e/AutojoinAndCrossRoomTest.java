package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.api.v1.SetRoomAclRequest;
import io.dino.client.DinoClient;
import io.dino.client.DinoException;
import io.dino.client.DinoSession;
import io.dino.client.EventRecorder;
import io.dino.client.LogId;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;

import static io.dino.gateway.TestNode.TIMEOUT;
import static io.dino.gateway.e2e.AccessControlTest.refusal;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Autojoin rooms at connect and cross-room sends ({@code "via"}) through real sockets, on one node (memory engine).
 * Every autojoin rule here names a team of its own test, so one test's autojoin rooms do not join another's users.
 */
class AutojoinAndCrossRoomTest {

    private static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static void setAcl(String room, Map<String, String> rules) {
        node.backend().setRoomAcl(SetRoomAclRequest.newBuilder().setRoom(room).putAllRules(rules).build());
    }

    private static List<String> autojoined(DinoClient client) {
        JsonNode rooms = client.connectResult().path("autojoined");
        return StreamSupport.stream(rooms.spliterator(), false).map(room -> room.get("room").asText()).toList();
    }

    private static void assertRefused(java.util.concurrent.CompletableFuture<JsonNode> reply, String name, String message) {
        DinoException error = refusal(reply);
        assertThat(error.name()).isEqualTo(name);
        assertThat(error.getMessage()).isEqualTo(message);
    }

    @Test
    void aConnectJoinsTheAutojoinRoomsWhoseAutojoinAndJoinRulesPassInRoomOrder() throws Exception {
        setAcl("aj-zoo", Map.of("autojoin", "team=red"));
        setAcl("aj-adults", Map.of("autojoin", "team=red", "join", "age=18:"));
        setAcl("aj-blue", Map.of("autojoin", "team=blue"));
        setAcl("aj-plain", Map.of("join", "team=red"));  // no autojoin rule: not an autojoin room

        EventRecorder watcherEvents = new EventRecorder();
        DinoClient watcher = node.client("aj-watcher", watcherEvents);
        watcher.join("aj-zoo").join();

        DinoClient kid = node.client("aj-kid", Set.of(), Map.of("team", "red", "age", "12"), new EventRecorder());
        assertThat(autojoined(kid)).containsExactly("aj-zoo");
        JsonNode zoo = kid.connectResult().get("autojoined").get(0);
        assertThat(zoo.get("epoch").isTextual()).isTrue();
        assertThat(zoo.get("offset").asLong()).isZero();
        watcherEvents.await(e -> "joined".equals(e.path("event").asText()) && "aj-kid".equals(e.path("user").asText()), TIMEOUT);

        DinoClient adult = node.client("aj-adult", Set.of(), Map.of("team", "red", "age", "30"), new EventRecorder());
        assertThat(autojoined(adult)).containsExactly("aj-adults", "aj-zoo");
        // the session really is in the room: it may send there without a join
        assertThat(adult.send("aj-adults", "hi").join().get("offset").asLong()).isEqualTo(1);
        assertThat(adult.rooms().join().get("rooms")).extracting(JsonNode::asText).containsExactly("aj-adults", "aj-zoo");
    }

    @Test
    void aConnectWithoutAutojoinRoomsHasNoAutojoinedField() {
        DinoClient nobody = node.client("aj-nobody", Set.of(), Map.of("team", "green"), new EventRecorder());
        assertThat(nobody.connectResult().has("autojoined")).isFalse();
    }

    @Test
    void operatorsJoinEveryAutojoinRoom() {
        setAcl("aj-op-only", Map.of("autojoin", "deny", "join", "deny"));
        DinoClient operator = node.operatorClient("aj-operator", new EventRecorder());
        assertThat(autojoined(operator)).contains("aj-op-only");
    }

    @Test
    void removingTheAutojoinRuleStopsAutojoining() {
        setAcl("aj-gone", Map.of("autojoin", "team=yellow"));
        assertThat(autojoined(node.client("aj-y1", Set.of(), Map.of("team", "yellow"), new EventRecorder())))
                .containsExactly("aj-gone");
        setAcl("aj-gone", Map.of());
        assertThat(node.client("aj-y2", Set.of(), Map.of("team", "yellow"), new EventRecorder()).connectResult().has("autojoined"))
                .isFalse();
    }

    @Test
    void aJavaSessionFollowsItsAutojoinedRoomsAcrossAReconnect() throws Exception {
        setAcl("aj-java", Map.of("autojoin", "team=java"));
        java.util.concurrent.CopyOnWriteArrayList<JsonNode> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
        DinoSession session = DinoSession.builder(List.of(node.wsUri()),
                        () -> node.token("aj-follower", Set.of(), Map.of("team", "java")))
                .onMessage(messages::add).build();
        try {
            session.start().join();
            assertThat(session.positions()).containsKey(LogId.room("aj-java"));
            DinoClient talker = node.client("aj-talker", new EventRecorder());
            talker.join("aj-java").join();
            talker.send("aj-java", "one").join();
            org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> messages.size() == 1);
            // the session leaves the room on the server only: a reconnect joins it again and recovers what it missed
            session.connection().orElseThrow().leave("aj-java").join();
            talker.send("aj-java", "two").join();
            session.connection().orElseThrow().abort();
            org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> messages.size() == 2);
            assertThat(messages.get(1).get("msg").get("body").asText()).isEqualTo("two");
            assertThat(session.positions().get(LogId.room("aj-java")).offset()).isEqualTo(2);
        } finally {
            session.close();
        }
    }

    @Test
    void aCrossRoomSendReachesTheTargetWhenItsCrossroomRulePasses() throws Exception {
        setAcl("cr-stage", Map.of("crossroom", "samechannel,role=herald"));
        EventRecorder audienceEvents = new EventRecorder();
        DinoClient audience = node.client("cr-audience", audienceEvents);
        audience.join("cr-stage").join();

        DinoClient herald = node.client("cr-herald", Set.of("herald"), Map.of(), new EventRecorder());
        assertRefused(herald.sendVia("cr-stage", "cr-hall", "hear"), "NOT_IN_ROOM",
                "join room 'cr-hall' before sending from it");
        herald.join("cr-hall").join();
        JsonNode sent = herald.sendVia("cr-stage", "cr-hall", "hear ye").join();
        assertThat(sent.get("offset").asLong()).isEqualTo(1);
        JsonNode message = audienceEvents.await(e -> "message".equals(e.path("event").asText())
                && "cr-stage".equals(e.path("msg").path("room").asText()), TIMEOUT).get("msg");
        assertThat(message.get("from").asText()).isEqualTo("cr-herald");
        assertThat(message.get("body").asText()).isEqualTo("hear ye");
        assertThat(message.get("offset").asLong()).isEqualTo(1);

        DinoClient commoner = node.client("cr-commoner", new EventRecorder());
        commoner.join("cr-hall").join();
        assertRefused(commoner.sendVia("cr-stage", "cr-hall", "me too"), "NOT_ALLOWED",
                "not allowed to send to room 'cr-stage' from room 'cr-hall': needs role=herald");
    }

    @Test
    void aCrossRoomSendAlsoNeedsTheTargetsMessageRule() {
        setAcl("cr-quiet", Map.of("message", "deny"));
        DinoClient user = node.client("cr-talker", new EventRecorder());
        user.join("cr-lobby").join();
        assertRefused(user.sendVia("cr-quiet", "cr-lobby", "psst"), "NOT_ALLOWED",
                "not allowed to send to room 'cr-quiet' from room 'cr-lobby': needs deny");
        // without rules a cross-room send within the channel is open
        assertThat(user.sendVia("cr-open", "cr-lobby", "hello").join().get("offset").asLong()).isEqualTo(1);
    }

    @Test
    void sameroomSeesWhetherTheSenderIsInTheTarget() {
        setAcl("cr-members", Map.of("crossroom", "!sameroom"));
        DinoClient user = node.client("cr-both", new EventRecorder());
        user.join("cr-side").join();
        assertThat(user.sendVia("cr-members", "cr-side", "from outside").join().get("offset").asLong()).isEqualTo(1);
        user.join("cr-members").join();
        assertRefused(user.sendVia("cr-members", "cr-side", "from inside"), "NOT_ALLOWED",
                "not allowed to send to room 'cr-members' from room 'cr-side': needs !sameroom");
    }
}
