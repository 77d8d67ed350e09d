package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.api.v1.GetRoomAclRequest;
import io.dino.api.v1.SetRoomAclRequest;
import io.dino.client.DinoClient;
import io.dino.client.DinoException;
import io.dino.client.DinoSession;
import io.dino.client.EventRecorder;
import io.dino.client.LogId;
import io.dino.gateway.TestNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** Room access rules through real sockets and the backend API, on one node (memory engine). */
public class AccessControlTest {

    private static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static int setAcl(String room, Map<String, String> rules) {
        return node.backend().setRoomAcl(SetRoomAclRequest.newBuilder().setRoom(room).putAllRules(rules).build())
                .getSessionsRemoved();
    }

    private static DinoClient user(String name, Map<String, String> attributes) {
        return node.client(name, Set.of(), attributes, new EventRecorder());
    }

    /** The error a command was refused with. */
    public static DinoException refusal(CompletableFuture<JsonNode> reply) {
        CompletionException failed = catchThrowableOfType(CompletionException.class, reply::join);
        assertThat(failed).as("the command was refused").isNotNull();
        assertThat(failed.getCause()).isInstanceOf(DinoException.class);
        return (DinoException) failed.getCause();
    }

    private static void assertNotAllowed(CompletableFuture<JsonNode> reply, String message) {
        DinoException error = refusal(reply);
        assertThat(error.code()).isEqualTo(4030);
        assertThat(error.name()).isEqualTo("NOT_ALLOWED");
        assertThat(error.getMessage()).isEqualTo(message);
    }

    @Test
    void joinIsAllowedOrRefusedByTheJoinRuleWithoutAJoinedEvent() throws Exception {
        setAcl("adults", Map.of("join", "age=18:"));
        EventRecorder watcherEvents = new EventRecorder();
        DinoClient watcher = node.client("adult-watcher", Set.of(), Map.of("age", "40"), watcherEvents);
        watcher.join("adults").join();

        DinoClient kid = user("kid", Map.of("age", "12"));
        assertNotAllowed(kid.join("adults"), "not allowed to join room 'adults': needs age=18:");
        DinoClient adult = user("grown", Map.of("age", "18"));
        assertThat(adult.join("adults").join().get("members")).extracting(JsonNode::asText)
                .containsExactly("adult-watcher", "grown");

        watcherEvents.await(e -> "joined".equals(e.path("event").asText()) && "grown".equals(e.path("user").asText()), TIMEOUT);
        assertThat(watcherEvents.events("joined")).extracting(e -> e.get("user").asText()).doesNotContain("kid");
        assertThat(node.backend().listRoomMembers(io.dino.api.v1.ListRoomMembersRequest.newBuilder().setRoom("adults").build())
                .getUsersList()).containsExactly("adult-watcher", "grown");
    }

    @Test
    void aMissingAttributeFailsTheRuleAndItsNegation() {
        setAcl("members-only", Map.of("join", "membership=!normal"));
        assertNotAllowed(user("no-membership", Map.of()).join("members-only"),
                "not allowed to join room 'members-only': needs membership=!normal (no membership in the token)");
        user("gold-member", Map.of("membership", "gold")).join("members-only").join();
    }

    @Test
    void sendIsCheckedAgainstTheMessageRule() {
        setAcl("stage", Map.of("message", "role=speaker"));
        DinoClient listener = user("listener", Map.of());
        listener.join("stage").join();
        assertNotAllowed(listener.send("stage", Map.of("text", "hi")), "not allowed to send to room 'stage': needs role=speaker");

        DinoClient speaker = node.client("speaker", Set.of("speaker"), Map.of(), new EventRecorder());
        speaker.join("stage").join();
        assertThat(speaker.send("stage", Map.of("text", "hello")).join().get("offset").asLong()).isEqualTo(1);
    }

    @Test
    void historyAndMembersAreCheckedAlsoForNonMembers() {
        setAcl("secret", Map.of("history", "group=staff", "members", "group=staff;ops"));
        node.backend().publishToRoom(io.dino.api.v1.PublishToRoomRequest.newBuilder().setRoom("secret")
                .setBodyJson("\"stored\"").build());
        DinoClient outsider = user("outsider", Map.of("group", "sales"));
        assertNotAllowed(outsider.history("secret", 10), "not allowed to read the history of room 'secret': needs group=staff");
        assertNotAllowed(outsider.members("secret"), "not allowed to list the members of room 'secret': needs group=staff;ops");

        DinoClient ops = user("opsy", Map.of("group", "ops,sales"));  // a list attribute: any value may match
        assertThat(ops.members("secret").join().get("members")).isEmpty();
        assertNotAllowed(ops.history("secret", 10), "not allowed to read the history of room 'secret': needs group=staff");
        DinoClient staff = user("stafford", Map.of("group", "staff"));
        assertThat(staff.history("secret", 10).join().get("messages")).hasSize(1);
    }

    @Test
    void operatorsPassEveryRule() {
        setAcl("closed", Map.of("join", "deny", "message", "deny", "history", "deny", "members", "deny"));
        for (String role : new String[]{"superuser", "globalmod"}) {
            DinoClient operator = node.client("op-" + role, Set.of(role), Map.of(), new EventRecorder());
            operator.join("closed").join();
            operator.send("closed", "\"by an operator\"").join();
            assertThat(operator.history("closed", 10).join().get("messages")).isNotEmpty();
            assertThat(operator.members("closed").join().get("members")).isNotEmpty();
        }
        assertNotAllowed(node.client("op-none", Set.of("moderator"), Map.of(), new EventRecorder()).join("closed"),
                "not allowed to join room 'closed': needs deny");
    }

    @Test
    void removedRulesOpenTheRoomAgain() {
        setAcl("reopened", Map.of("join", "deny"));
        DinoClient anyone = user("anyone", Map.of());
        assertNotAllowed(anyone.join("reopened"), "not allowed to join room 'reopened': needs deny");
        setAcl("reopened", Map.of());
        anyone.join("reopened").join();
        assertThat(node.backend().getRoomAcl(GetRoomAclRequest.newBuilder().setRoom("reopened").build()).getRulesMap()).isEmpty();
    }

    @Test
    void aChangedJoinRuleRemovesMembersWhoNoLongerPassAndTellsEveryone() throws Exception {
        EventRecorder stayerEvents = new EventRecorder();
        EventRecorder goerEvents = new EventRecorder();
        DinoClient stayer = node.client("stayer", Set.of(), Map.of("country", "de"), stayerEvents);
        DinoClient goer = node.client("goer", Set.of(), Map.of("country", "fr"), goerEvents);
        DinoClient goerTab2 = node.client("goer", Set.of(), Map.of("country", "fr"), new EventRecorder());
        stayer.join("local").join();
        goer.join("local").join();
        goerTab2.join("local").join();

        assertThat(setAcl("local", Map.of("join", "country=de;at"))).isEqualTo(2);

        JsonNode removed = goerEvents.await("removed", TIMEOUT);
        assertThat(removed.get("room").asText()).isEqualTo("local");
        assertThat(removed.get("reason").asText()).isEqualTo("access changed");
        JsonNode left = stayerEvents.await(e -> "left".equals(e.path("event").asText()), TIMEOUT);
        assertThat(left.get("user").asText()).isEqualTo("goer");
        assertThat(stayer.members("local").join().get("members")).extracting(JsonNode::asText).containsExactly("stayer");
        // the removed session is out of the room: sending needs a join, which is refused
        assertThat(refusal(goer.send("local", "\"still here?\"")).name()).isEqualTo("NOT_IN_ROOM");
        assertNotAllowed(goer.join("local"), "not allowed to join room 'local': needs country=de;at");
        assertThat(stayerEvents.events("removed")).isEmpty();
    }

    @Test
    void aJavaSessionStopsFollowingARoomItWasRemovedFrom() throws Exception {
        EventRecorder events = new EventRecorder();
        DinoSession session = DinoSession.builder(List.of(node.wsUri()),
                        () -> node.token("followed", Set.of(), Map.of("age", "15")))
                .onEvent(events).build();
        try {
            session.start().join();
            session.join("teens").join();
            session.join("all-ages").join();
            assertThat(session.positions()).containsKeys(LogId.room("teens"), LogId.room("all-ages"));

            assertThat(setAcl("teens", Map.of("join", "age=:14"))).isEqualTo(1);

            assertThat(events.await("removed", TIMEOUT).get("room").asText()).isEqualTo("teens");
            await().untilAsserted(() -> assertThat(session.positions()).doesNotContainKey(LogId.room("teens"))
                    .containsKey(LogId.room("all-ages")));
        } finally {
            session.close();
        }
    }

    @Test
    void aChangedMessageRuleTakesEffectOnTheNextSend() {
        DinoClient talker = user("talker", Map.of("level", "3"));
        talker.join("tiered").join();
        talker.send("tiered", "\"before\"").join();
        setAcl("tiered", Map.of("message", "level=5:"));
        assertNotAllowed(talker.send("tiered", "\"after\""), "not allowed to send to room 'tiered': needs level=5:");
        setAcl("tiered", Map.of("message", "level=1:"));
        talker.send("tiered", "\"again\"").join();
    }

    @Test
    void theBackendClientSetsAndReadsRules() {
        try (io.dino.api.client.DinoBackendClient dino = io.dino.api.client.DinoBackendClient
                .builder("127.0.0.1", node.grpcPort()).apiKey(TestNode.API_KEY).build()) {
            DinoClient member = user("client-member", Map.of());
            member.join("via-client").join();
            assertThat(dino.setRoomAcl("via-client", Map.of("join", "role=staff"))).isEqualTo(1);
            assertThat(dino.roomAcl("via-client")).isEqualTo(Map.of("join", "role=staff"));
            assertThat(dino.setRoomAcl("via-client", Map.of())).isZero();
            assertThat(dino.roomAcl("via-client")).isEmpty();
        }
    }

    @Test
    void setRoomAclRefusesInvalidRulesAndUnknownActionsAndGetRoomAclAnswersCanonicalText() {
        StatusRuntimeException invalid = catchThrowableOfType(StatusRuntimeException.class,
                () -> setAcl("checked", Map.of("join", "(age=18:|gender=f")));
        assertThat(invalid.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(invalid.getStatus().getDescription())
                .isEqualTo("rule for 'join' at character 18: expected ')' to close the '(' at character 1");
        assertThatThrownBy(() -> setAcl("checked", Map.of("whisper", "deny")))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).startsWith("unknown action 'whisper'");
                });
        assertThatThrownBy(() -> setAcl("no room?", Map.of()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));

        setAcl("checked", Map.of("join", " ( age = 35: | gender = f ) , membership = !normal ", "history", ""));
        assertThat(node.backend().getRoomAcl(GetRoomAclRequest.newBuilder().setRoom("checked").build()).getRulesMap())
                .isEqualTo(Map.of("join", "(age=35:|gender=f),membership=!normal"));
    }
}
