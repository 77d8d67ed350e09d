package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.api.v1.BackendGrpc;
import io.dino.api.v1.GetLastOnlineRequest;
import io.dino.api.v1.GetUserStatusRequest;
import io.dino.api.v1.PresenceStatus;
import io.dino.api.v1.SetUserStatusRequest;
import io.dino.api.v1.UserLastOnline;
import io.dino.client.CloseStatus;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Status, invisible users, last-online and the single-session rule, through real sockets and the gRPC API. */
class PresenceStatusTest {

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
    void aStatusIsPerUserSeenByTheUsersOtherSessionsAndByPresenceQueries() throws Exception {
        EventRecorder tab1 = new EventRecorder();
        EventRecorder tab2 = new EventRecorder();
        DinoClient first = node.client("stella", tab1);
        node.client("stella", tab2);
        DinoClient other = node.client("oscar", new EventRecorder());

        assertThat(status(other, "stella")).isEqualTo("online");
        JsonNode result = first.setStatus("away").join();

        assertThat(result.get("status").asText()).isEqualTo("away");
        for (EventRecorder tab : List.of(tab1, tab2)) {
            JsonNode event = tab.await("status", TIMEOUT);
            assertThat(event.get("user").asText()).isEqualTo("stella");
            assertThat(event.get("status").asText()).isEqualTo("away");
        }
        assertThat(status(other, "stella")).isEqualTo("away");
        assertThat(node.backend().getUserStatus(GetUserStatusRequest.newBuilder().addUsers("stella").build())
                .getUsers(0).getStatus()).isEqualTo(PresenceStatus.PRESENCE_STATUS_AWAY);
        first.setStatus("online").join();
        assertThat(status(other, "stella")).isEqualTo("online");
    }

    @Test
    void onlyOperatorsMayBeInvisibleAndOnlyOperatorsAndTheUserSeeIt() throws Exception {
        DinoClient user = node.client("ivy", new EventRecorder());
        assertThat(errorOf(user.setStatus("invisible")).code()).isEqualTo(4030);  // NOT_ALLOWED
        assertThat(errorOf(user.setStatus("offline")).code()).isEqualTo(4003);    // INVALID_VALUE
        assertThat(errorOf(user.setStatus("busy")).code()).isEqualTo(4003);

        DinoClient ghost = node.operatorClient("ghost", new EventRecorder());
        DinoClient operator = node.operatorClient("overseer", new EventRecorder());
        ghost.setStatus("invisible").join();

        assertThat(status(user, "ghost")).isEqualTo("offline");
        assertThat(status(operator, "ghost")).isEqualTo("invisible");
        assertThat(status(ghost, "ghost")).isEqualTo("invisible");
        // the backend is trusted: it sees the truth
        assertThat(node.backend().getUserStatus(GetUserStatusRequest.newBuilder().addUsers("ghost").build())
                .getUsers(0).getStatus()).isEqualTo(PresenceStatus.PRESENCE_STATUS_INVISIBLE);
    }

    @Test
    void anInvisibleUsersJoinsAndLeavesAreSeenOnlyByOperatorsAndMemberListsHideIt() throws Exception {
        EventRecorder watcherEvents = new EventRecorder();
        EventRecorder operatorEvents = new EventRecorder();
        DinoClient watcher = node.client("watcher1", watcherEvents);
        DinoClient operator = node.operatorClient("op1", operatorEvents);
        watcher.join("lounge1").join();
        operator.join("lounge1").join();
        DinoClient ghost = node.operatorClient("ghost1", new EventRecorder());
        ghost.setStatus("invisible").join();

        JsonNode joined = ghost.join("lounge1").join();

        assertThat(members(joined)).containsExactly("ghost1", "op1", "watcher1");
        assertThat(operatorEvents.await(membership("joined", "ghost1"), TIMEOUT).get("room").asText()).isEqualTo("lounge1");
        assertThat(members(watcher.members("lounge1").join())).containsExactly("op1", "watcher1");
        assertThat(members(operator.members("lounge1").join())).containsExactly("ghost1", "op1", "watcher1");
        assertThat(members(node.client("late1", new EventRecorder()).join("lounge1").join()))
                .containsExactly("late1", "op1", "watcher1");
        // the backend is trusted: it sees every member
        assertThat(node.backend().listRoomMembers(io.dino.api.v1.ListRoomMembersRequest.newBuilder().setRoom("lounge1").build())
                .getUsersList()).contains("ghost1");

        ghost.leave("lounge1").join();
        operatorEvents.await(membership("left", "ghost1"), TIMEOUT);
        watcherEvents.await(membership("joined", "late1"), TIMEOUT);  // what the watcher gets is in order
        node.client("marker1", new EventRecorder()).join("lounge1").join();
        watcherEvents.await(membership("joined", "marker1"), TIMEOUT);
        assertThat(watcherEvents.events()).noneMatch(e -> e.path("user").asText().equals("ghost1"));
    }

    @Test
    void goingInvisibleInARoomLooksLikeLeavingToOthersAndComingBackLikeJoining() throws Exception {
        EventRecorder watcherEvents = new EventRecorder();
        EventRecorder operatorEvents = new EventRecorder();
        DinoClient watcher = node.client("watcher2", watcherEvents);
        DinoClient operator = node.operatorClient("op2", operatorEvents);
        watcher.join("lounge2").join();
        operator.join("lounge2").join();
        DinoClient ghost = node.operatorClient("ghost2", new EventRecorder());
        ghost.join("lounge2").join();
        ghost.join("lounge2b").join();
        watcherEvents.await(membership("joined", "ghost2"), TIMEOUT);

        ghost.setStatus("invisible").join();
        watcherEvents.await(membership("left", "ghost2"), TIMEOUT);
        assertThat(members(watcher.members("lounge2").join())).containsExactly("op2", "watcher2");
        assertThat(members(watcher.members("lounge2b").join())).isEmpty();
        ghost.setStatus("away").join();  // visible again
        watcherEvents.awaitCount(membership("joined", "ghost2"), 2, TIMEOUT);  // the first was the real join
        assertThat(members(watcher.members("lounge2").join())).containsExactly("ghost2", "op2", "watcher2");
        // the operator saw the user stay all along
        assertThat(operatorEvents.events()).filteredOn(e -> e.path("user").asText().equals("ghost2"))
                .extracting(e -> e.get("event").asText()).containsExactly("joined");
    }

    static java.util.function.Predicate<JsonNode> membership(String event, String user) {
        return e -> e.path("event").asText().equals(event) && e.path("user").asText().equals(user);
    }

    static List<String> members(JsonNode result) {
        List<String> members = new java.util.ArrayList<>();
        result.get("members").forEach(m -> members.add(m.asText()));
        return members;
    }

    @Test
    void theBackendMaySetAnyStatusOfAnOnlineUser() throws Exception {
        EventRecorder events = new EventRecorder();
        DinoClient user = node.client("bea", events);
        BackendGrpc.BackendBlockingStub backend = node.backend();

        backend.setUserStatus(SetUserStatusRequest.newBuilder().setUser("bea").setStatus(PresenceStatus.PRESENCE_STATUS_INVISIBLE).build());

        assertThat(events.await("status", TIMEOUT).get("status").asText()).isEqualTo("invisible");
        assertThat(status(node.client("carl", new EventRecorder()), "bea")).isEqualTo("offline");
        assertThat(status(user, "bea")).isEqualTo("invisible");
        assertThatThrownBy(() -> backend.setUserStatus(SetUserStatusRequest.newBuilder().setUser("nobody-here")
                .setStatus(PresenceStatus.PRESENCE_STATUS_AWAY).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).contains("nobody-here").contains("not online");
                });
        assertThatThrownBy(() -> backend.setUserStatus(SetUserStatusRequest.newBuilder().setUser("bea")
                .setStatus(PresenceStatus.PRESENCE_STATUS_OFFLINE).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> backend.getLastOnline(GetLastOnlineRequest.newBuilder().build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));

        // the same through backend-api's client
        try (io.dino.api.client.DinoBackendClient client = io.dino.api.client.DinoBackendClient
                .builder("127.0.0.1", node.grpcPort()).apiKey(TestNode.API_KEY).build()) {
            client.setUserStatus("bea", PresenceStatus.PRESENCE_STATUS_AWAY);
            assertThat(client.userStatus(List.of("bea", "nobody-here"))).containsExactly(
                    Map.entry("bea", PresenceStatus.PRESENCE_STATUS_AWAY), Map.entry("nobody-here", PresenceStatus.PRESENCE_STATUS_OFFLINE));
            assertThat(client.lastOnline(List.of("nobody-here"))).containsExactly(Map.entry("nobody-here", java.util.Optional.empty()));
        }
    }

    @Test
    void lastOnlineIsWhenTheUsersLastSessionEndedAndTheStatusEndsWithIt() throws Exception {
        DinoClient tab1 = node.client("leo", new EventRecorder());
        DinoClient tab2 = node.client("leo", new EventRecorder());
        DinoClient watcher = node.client("wanda", new EventRecorder());
        tab1.setStatus("away").join();
        assertThat(presenceOf(watcher, "leo").get("lastOnline").isNull()).isTrue();

        tab1.close();
        tab1.closeFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(status(watcher, "leo")).isEqualTo("away");  // one session left
        long before = System.currentTimeMillis();
        tab2.close();
        awaitStatus(watcher, "leo", "offline");
        long after = System.currentTimeMillis();

        long lastOnline = presenceOf(watcher, "leo").get("lastOnline").asLong();
        assertThat(lastOnline).isBetween(before, after);
        UserLastOnline grpc = node.backend().getLastOnline(GetLastOnlineRequest.newBuilder().addUsers("leo").addUsers("never-seen").build())
                .getUsersList().getFirst();
        assertThat(grpc.getOnline()).isFalse();
        assertThat(grpc.getLastOnlineMs()).isEqualTo(lastOnline);
        assertThat(node.backend().getLastOnline(GetLastOnlineRequest.newBuilder().addUsers("never-seen").build())
                .getUsers(0).getLastOnlineMs()).isZero();

        node.client("leo", new EventRecorder());
        assertThat(status(watcher, "leo")).as("a new first session starts online").isEqualTo("online");
    }

    @Test
    void aPresenceQueryNamesOneToAHundredUsers() {
        DinoClient client = node.client("quinn", new EventRecorder());
        assertThat(errorOf(client.presence(List.of())).code()).isEqualTo(4003);
        assertThat(errorOf(client.presence(java.util.stream.IntStream.range(0, 101).mapToObj(i -> "u" + i).toList()))
                .code()).isEqualTo(4003);
        assertThat(errorOf(client.request("presence", null)).code()).isEqualTo(4002);
    }

    @Test
    void invisibleIsForEveryoneWhenConfigured() {
        try (TestNode relaxed = TestNode.start(Map.of("dino.presence.invisible-for-all", "true"))) {
            DinoClient user = relaxed.client("shy", new EventRecorder());
            assertThat(user.setStatus("invisible").join().get("status").asText()).isEqualTo("invisible");
            assertThat(status(relaxed.client("nosy", new EventRecorder()), "shy")).isEqualTo("offline");
        }
    }

    @Test
    void withTheSingleSessionRuleANewConnectReplacesTheOlderSessions() throws Exception {
        try (TestNode single = TestNode.start(Map.of("dino.sessions.single", "true"))) {
            EventRecorder firstEvents = new EventRecorder();
            EventRecorder secondEvents = new EventRecorder();
            DinoClient first = single.client("solo", firstEvents);
            DinoClient second = single.client("solo", secondEvents);
            DinoClient newest = single.client("solo", new EventRecorder());

            for (EventRecorder older : List.of(firstEvents, secondEvents)) {
                JsonNode event = older.await("disconnect", TIMEOUT);
                assertThat(event.get("code").asInt()).isEqualTo(4091);
                assertThat(event.get("name").asText()).isEqualTo("REPLACED");
                assertThat(event.get("reason").asText()).isEqualTo("logged in elsewhere");
                assertThat(event.get("reconnect").asBoolean()).isFalse();
            }
            for (DinoClient client : List.of(first, second)) {
                CloseStatus status = client.closeFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                assertThat(status.code()).isEqualTo(4091);
            }
            assertThat(newest.isOpen()).isTrue();
            assertThat(newest.ping().join().has("ts")).isTrue();
            // other users are not affected
            DinoClient someoneElse = single.client("duo", new EventRecorder());
            assertThat(newest.isOpen()).isTrue();
            assertThat(status(someoneElse, "solo")).isEqualTo("online");
        }
    }

    @Test
    void aDinoSessionGivesUpWhenReplacedAndDoesNotComeBack() throws Exception {
        try (TestNode single = TestNode.start(Map.of("dino.sessions.single", "true"))) {
            java.util.concurrent.atomic.AtomicInteger tokens = new java.util.concurrent.atomic.AtomicInteger();
            io.dino.client.DinoSession session = io.dino.client.DinoSession.builder(List.of(single.wsUri()), () -> {
                        tokens.incrementAndGet();
                        return single.token("tabby");
                    })
                    .reconnectDelay(java.time.Duration.ofMillis(20), java.time.Duration.ofMillis(100))
                    .build();
            session.start().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            DinoClient newer = single.client("tabby", new EventRecorder());

            assertThatThrownBy(() -> session.closeFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .hasCauseInstanceOf(DinoException.class)
                    .satisfies(e -> assertThat(((DinoException) e.getCause()).code()).isEqualTo(4091));
            // closeFuture completes only once the session is closed for good, which schedules no further attempt
            assertThat(session.stats().connectAttempts()).isEqualTo(1);
            assertThat(tokens.get()).isEqualTo(1);
            assertThat(session.stats().reconnects()).isZero();
            assertThat(newer.ping().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).has("ts")).isTrue();
        }
    }

    static String status(DinoClient viewer, String user) {
        return presenceOf(viewer, user).get("status").asText();
    }

    static JsonNode presenceOf(DinoClient viewer, String user) {
        JsonNode users = viewer.presence(List.of(user)).join().get("users");
        assertThat(users).hasSize(1);
        assertThat(users.get(0).get("user").asText()).isEqualTo(user);
        return users.get(0);
    }

    static void awaitStatus(DinoClient viewer, String user, String status) {
        org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> status(viewer, user).equals(status));
    }

    static DinoException errorOf(CompletableFuture<JsonNode> reply) {
        try {
            reply.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof DinoException error) {
                return error;
            }
            throw e;
        }
        throw new AssertionError("expected an error, got success");
    }
}
