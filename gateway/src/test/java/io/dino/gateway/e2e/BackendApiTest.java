package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.api.v1.BackendGrpc;
import io.dino.api.v1.BroadcastRequest;
import io.dino.api.v1.DisconnectUserRequest;
import io.dino.api.v1.GetPresenceRequest;
import io.dino.api.v1.ListOnlineUsersRequest;
import io.dino.api.v1.ListOnlineUsersResponse;
import io.dino.api.v1.ListRoomMembersRequest;
import io.dino.api.v1.ListRoomsMembersRequest;
import io.dino.api.v1.RoomMembers;
import io.dino.api.v1.ListUserRoomsRequest;
import io.dino.api.v1.UserRooms;
import io.dino.api.v1.MintTokenRequest;
import io.dino.api.v1.MintTokenResponse;
import io.dino.api.v1.PublishResponse;
import io.dino.api.v1.PublishToRoomRequest;
import io.dino.api.v1.PublishToUsersRequest;
import io.dino.api.v1.PublishToUsersResponse;
import io.dino.api.v1.UserPresence;
import io.dino.client.CloseStatus;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.CallOutcomes;
import io.dino.gateway.HealthWatch;
import io.dino.gateway.TestNode;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Backend services through the gRPC API, observed by real WebSocket clients. */
class BackendApiTest {

    private static TestNode node;
    private static ManagedChannel channel;
    private BackendGrpc.BackendBlockingStub backend;

    @BeforeAll
    static void start() {
        node = TestNode.start();
        channel = node.channel();
    }

    @BeforeEach
    void stub() {
        // a stub's deadline runs from when it is made, so one stub for the whole class runs out
        backend = TestNode.backend(channel, TestNode.API_KEY);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void publishToAUserReachesAllOfThatUsersSessions() throws Exception {
        EventRecorder phone = new EventRecorder();
        EventRecorder laptop = new EventRecorder();
        node.client("uma", phone);
        node.client("uma", laptop);

        PublishToUsersResponse response = backend.publishToUsers(PublishToUsersRequest.newBuilder()
                .addUsers("uma").setBodyJson("{\"kind\":\"invoice\",\"amount\":12}").setSender("billing").build());

        assertThat(response.getResultsList()).hasSize(1);
        assertThat(response.getResults(0).getPosition().getOffset()).isEqualTo(1);
        for (EventRecorder session : List.of(phone, laptop)) {
            JsonNode message = session.await("private", TIMEOUT).get("msg");
            assertThat(message.get("from").asText()).isEqualTo("billing");
            assertThat(message.at("/body/amount").asInt()).isEqualTo(12);
            assertThat(message.get("id").asText()).isEqualTo(response.getResults(0).getMessageId());
        }
    }

    @Test
    void publishToRoomReachesMembersOnly() throws Exception {
        EventRecorder member = new EventRecorder();
        EventRecorder outsider = new EventRecorder();
        node.client("victor", member).join("news").join();
        DinoClient outsiderClient = node.client("wendy", outsider);
        outsiderClient.join("other-room").join();

        PublishResponse published = backend.publishToRoom(PublishToRoomRequest.newBuilder()
                .setRoom("news").setBodyJson("\"extra!\"").build());

        JsonNode message = member.await("message", TIMEOUT).get("msg");
        assertThat(message.get("body").asText()).isEqualTo("extra!");
        assertThat(message.get("from").asText()).isEqualTo("system");
        assertThat(message.get("offset").asLong()).isEqualTo(published.getPosition().getOffset());
        assertThat(message.get("epoch").asText()).isEqualTo(published.getPosition().getEpoch());
        outsiderClient.ping().join();
        assertThat(outsider.events("message")).isEmpty();
    }

    @Test
    void aRetriedPublishWithTheSameIdempotencyKeyIsStoredOnce() {
        PublishToRoomRequest request = PublishToRoomRequest.newBuilder()
                .setRoom("idempotent").setBodyJson("1").setIdempotencyKey("order-42").build();

        PublishResponse first = backend.publishToRoom(request);
        PublishResponse retry = backend.publishToRoom(request);
        PublishResponse other = backend.publishToRoom(request.toBuilder().setIdempotencyKey("order-43").build());

        assertThat(retry).isEqualTo(first);
        assertThat(other.getPosition().getOffset()).isEqualTo(first.getPosition().getOffset() + 1);
        DinoClient reader = node.client("reader", new EventRecorder());
        assertThat(reader.history("idempotent", 10).join().get("messages")).hasSize(2);
    }

    @Test
    void broadcastReachesEverySession() throws Exception {
        EventRecorder first = new EventRecorder();
        EventRecorder second = new EventRecorder();
        node.client("xavier", first);
        node.client("yvonne", second);

        backend.broadcast(BroadcastRequest.newBuilder().setBodyJson("{\"maintenance\":\"tonight\"}").build());

        for (EventRecorder session : List.of(first, second)) {
            assertThat(session.await("broadcast", TIMEOUT).at("/msg/body/maintenance").asText()).isEqualTo("tonight");
        }
    }

    @Test
    void presenceQueriesCountUsersNotSessions() {
        node.client("zoe", new EventRecorder()).join("lounge").join();
        node.client("zoe", new EventRecorder()).join("lounge").join();

        assertThat(backend.listOnlineUsers(ListOnlineUsersRequest.getDefaultInstance()).getUsersList())
                .containsOnlyOnce("zoe");
        assertThat(backend.listRoomMembers(ListRoomMembersRequest.newBuilder().setRoom("lounge").build()).getUsersList())
                .containsExactly("zoe");
        assertThat(backend.getPresence(GetPresenceRequest.newBuilder().addUsers("zoe").addUsers("nobody").build())
                .getUsersList())
                .containsExactly(UserPresence.newBuilder().setUser("zoe").setOnline(true).build(),
                        UserPresence.newBuilder().setUser("nobody").setOnline(false).build());
    }

    @Test
    void listRoomsMembersAnswersEachRoomAskedOnceInvisibleUsersIncluded() throws Exception {
        DinoClient wanda = node.client("wanda", new EventRecorder());
        wanda.join("atrium").join();
        wanda.join("gallery").join();
        DinoClient ghost = node.operatorClient("ghost-w", new EventRecorder());
        ghost.join("atrium").join();
        ghost.setStatus("invisible").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        List<RoomMembers> rooms = backend.listRoomsMembers(ListRoomsMembersRequest.newBuilder()
                .addRooms("gallery").addRooms("atrium").addRooms("vacant").addRooms("gallery").build()).getRoomsList();

        assertThat(rooms).containsExactly(
                RoomMembers.newBuilder().setRoom("gallery").addUsers("wanda").build(),
                RoomMembers.newBuilder().setRoom("atrium").addUsers("ghost-w").addUsers("wanda").build(),
                RoomMembers.newBuilder().setRoom("vacant").build());
        assertThat(wanda.rooms().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).get("rooms"))
                .extracting(JsonNode::asText).containsExactly("atrium", "gallery");

        // the same through backend-api's client
        try (io.dino.api.client.DinoBackendClient client = io.dino.api.client.DinoBackendClient
                .builder("127.0.0.1", node.grpcPort()).apiKey(TestNode.API_KEY).build()) {
            assertThat(client.roomsMembers(List.of("atrium", "vacant"))).containsExactly(
                    java.util.Map.entry("atrium", List.of("ghost-w", "wanda")), java.util.Map.entry("vacant", List.of()));
        }
    }

    @Test
    void listUserRoomsAnswersTheRoomsOfAllOfAUsersSessionsUntilTheyLeaveOrClose() throws Exception {
        DinoClient phone = node.client("yuri", new EventRecorder());
        DinoClient laptop = node.client("yuri", new EventRecorder());
        phone.join("deck").join();
        laptop.join("bridge").join();
        laptop.join("deck").join();
        DinoClient ghost = node.operatorClient("ghost-y", new EventRecorder());
        ghost.setStatus("invisible").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        ghost.join("hold").join();

        assertThat(backend.listUserRooms(ListUserRoomsRequest.newBuilder()
                .addUsers("yuri").addUsers("ghost-y").addUsers("nobody-y").addUsers("yuri").build()).getUsersList())
                .containsExactly(
                        UserRooms.newBuilder().setUser("yuri").addRooms("bridge").addRooms("deck").build(),
                        UserRooms.newBuilder().setUser("ghost-y").addRooms("hold").build(),
                        UserRooms.newBuilder().setUser("nobody-y").build());

        laptop.leave("bridge").join();
        laptop.close();
        org.awaitility.Awaitility.await().atMost(TIMEOUT).untilAsserted(() -> assertThat(rooms("yuri")).containsExactly("deck"));
        phone.close();
        org.awaitility.Awaitility.await().atMost(TIMEOUT).untilAsserted(() -> assertThat(rooms("yuri")).isEmpty());

        // the same through backend-api's client
        try (io.dino.api.client.DinoBackendClient client = io.dino.api.client.DinoBackendClient
                .builder("127.0.0.1", node.grpcPort()).apiKey(TestNode.API_KEY).build()) {
            assertThat(client.userRooms(List.of("ghost-y", "yuri"))).containsExactly(
                    java.util.Map.entry("ghost-y", List.of("hold")), java.util.Map.entry("yuri", List.of()));
        }
    }

    private List<String> rooms(String user) {
        return TestNode.backend(channel, TestNode.API_KEY).listUserRooms(ListUserRoomsRequest.newBuilder().addUsers(user).build())
                .getUsers(0).getRoomsList();
    }

    @Test
    void disconnectUserClosesEverySessionWithTheReason() throws Exception {
        EventRecorder first = new EventRecorder();
        EventRecorder second = new EventRecorder();
        DinoClient one = node.client("mallory", first);
        DinoClient two = node.client("mallory", second);

        int closed = backend.disconnectUser(DisconnectUserRequest.newBuilder()
                .setUser("mallory").setReason("account suspended").setReconnect(false).build()).getSessionsClosed();

        assertThat(closed).isEqualTo(2);
        for (EventRecorder session : List.of(first, second)) {
            JsonNode event = session.await("disconnect", TIMEOUT);
            assertThat(event.get("name").asText()).isEqualTo("DISCONNECTED");
            assertThat(event.get("reason").asText()).isEqualTo("account suspended");
            assertThat(event.get("reconnect").asBoolean()).isFalse();
        }
        for (DinoClient client : List.of(one, two)) {
            CloseStatus status = client.closeFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(status.code()).isEqualTo(4090);
        }
    }

    @Test
    void mintedTokensOpenSessionsWithTheirClaims() throws Exception {
        MintTokenResponse minted = backend.mintToken(MintTokenRequest.newBuilder()
                .setUser("olivia").addRoles("moderator").putAttributes("country", "de").setTtlSeconds(600).build());

        assertThat(Instant.ofEpochMilli(minted.getExpiresAtMs())).isBetween(Instant.now().plusSeconds(590),
                Instant.now().plusSeconds(601));
        DinoClient client = DinoClient.connect(node.wsUri(), minted.getToken()).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        try {
            assertThat(client.connectResult().get("user").asText()).isEqualTo("olivia");
        } finally {
            client.close();
        }
    }

    @Test
    void callsWithoutAValidApiKeyAreUnauthenticated() {
        ListOnlineUsersRequest request = ListOnlineUsersRequest.getDefaultInstance();
        assertThatThrownBy(() -> node.backend(null).listOnlineUsers(request))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(e.getStatus().getDescription()).contains("x-api-key");
                });
        assertThatThrownBy(() -> node.backend("wrong-key").listOnlineUsers(request))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    }

    @Test
    void refusedCallsLeaveTheOtherCallsOnTheirChannelAlone() throws Exception {
        ListOnlineUsersRequest request = ListOnlineUsersRequest.getDefaultInstance();
        // a request of many DATA frames, most of them still on their way when the call is refused
        PublishToRoomRequest large = PublishToRoomRequest.newBuilder()
                .setRoom("refused").setBodyJson("\"" + "x".repeat(1 << 20) + "\"").build();
        CallOutcomes outcomes = new CallOutcomes();
        try (HealthWatch watch = HealthWatch.open(channel)) {
            // more valid calls in flight on the same connection while the refused ones are answered
            try (var callers = outcomes.keepCalling(2, "concurrent valid call",
                    () -> TestNode.backend(channel, TestNode.API_KEY).listOnlineUsers(request))) {
                for (int round = 0; round < 200; round++) {
                    outcomes.expectStatus("call without a key", Status.Code.UNAUTHENTICATED, "missing x-api-key metadata",
                            () -> TestNode.backend(channel, null).listOnlineUsers(request));
                    outcomes.expectOk("valid call after a refused one",
                            () -> TestNode.backend(channel, TestNode.API_KEY).listOnlineUsers(request));
                    outcomes.expectStatus("call with a wrong key", Status.Code.UNAUTHENTICATED, "the API key is not valid",
                            () -> TestNode.backend(channel, "wrong-key").listOnlineUsers(request));
                    outcomes.expectOk("valid call after a refused one",
                            () -> TestNode.backend(channel, TestNode.API_KEY).listOnlineUsers(request));
                    if (round % 10 == 0) {
                        outcomes.expectStatus("large call with a wrong key", Status.Code.UNAUTHENTICATED,
                                "the API key is not valid", () -> TestNode.backend(channel, "wrong-key").publishToRoom(large));
                        outcomes.expectOk("valid call after a large refused one",
                                () -> TestNode.backend(channel, TestNode.API_KEY).listOnlineUsers(request));
                    }
                }
            }

            outcomes.assertAllAsExpected();
            assertThat(watch.ended()).as("the watch in flight on the same channel").isEmpty();
        }
    }

    @Test
    void aRefusedCallWhoseClientNeverSendsItsRequestIsStillAnswered() throws Exception {
        // as a client-streaming call it sends its headers at once, and messages only when told to: never, here
        MethodDescriptor<ListOnlineUsersRequest, ListOnlineUsersResponse> silent = BackendGrpc.getListOnlineUsersMethod()
                .toBuilder().setType(MethodDescriptor.MethodType.CLIENT_STREAMING).build();
        ClientCall<ListOnlineUsersRequest, ListOnlineUsersResponse> call = channel.newCall(silent,
                CallOptions.DEFAULT.withDeadlineAfter(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        CompletableFuture<Status> closed = new CompletableFuture<>();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.complete(status);
            }
        }, new Metadata());

        Status status = closed.get(TIMEOUT.toSeconds() + 1, TimeUnit.SECONDS);
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(status.getDescription()).isEqualTo("missing x-api-key metadata");
    }

    @Test
    void invalidArgumentsGetInvalidArgumentWithAUsefulMessage() {
        assertInvalid(() -> backend.publishToRoom(PublishToRoomRequest.newBuilder().setRoom("bad room!").setBodyJson("1").build()),
                "room may contain only", "INVALID_VALUE");
        assertInvalid(() -> backend.publishToRoom(PublishToRoomRequest.newBuilder().setRoom("ok").setBodyJson("{oops").build()),
                "body_json is not valid JSON", "INVALID_VALUE");
        assertInvalid(() -> backend.publishToRoom(PublishToRoomRequest.newBuilder().setRoom("ok").setBodyJson("\"  \"").build()),
                "body must not be empty", "EMPTY_MESSAGE");
        assertInvalid(() -> backend.publishToRoom(PublishToRoomRequest.newBuilder().setRoom("ok").build()),
                "body_json is required", "MISSING_FIELD");
        assertInvalid(() -> backend.publishToUsers(PublishToUsersRequest.newBuilder().setBodyJson("1").build()),
                "users must name 1-1000 users", "INVALID_VALUE");
        assertInvalid(() -> backend.mintToken(MintTokenRequest.newBuilder().setUser("").build()),
                "user id must be", "INVALID_VALUE");
        assertInvalid(() -> backend.publishToRoom(PublishToRoomRequest.newBuilder().setRoom("ok").setBodyJson("1 2").build()),
                "body_json must hold exactly one JSON value, but more follows it", "INVALID_VALUE");
        assertInvalid(() -> backend.mintToken(MintTokenRequest.newBuilder().setUser("system").build()),
                "user id 'system' is reserved for messages from the backend", "INVALID_VALUE");
        assertInvalid(() -> backend.publishToRoom(PublishToRoomRequest.newBuilder().setRoom("ok")
                        .setBodyJson("\"" + "x".repeat(20_000) + "\"").build()),
                "larger than 16384 bytes", "MESSAGE_TOO_LARGE");
        assertInvalid(() -> backend.listRoomsMembers(ListRoomsMembersRequest.getDefaultInstance()),
                "rooms must name 1-100 rooms", "INVALID_VALUE");
        ListRoomsMembersRequest.Builder tooMany = ListRoomsMembersRequest.newBuilder();
        for (int i = 0; i <= 100; i++) {
            tooMany.addRooms("r" + i);
        }
        assertInvalid(() -> backend.listRoomsMembers(tooMany.build()), "rooms must name 1-100 rooms", "INVALID_VALUE");
        assertInvalid(() -> backend.listRoomsMembers(ListRoomsMembersRequest.newBuilder().addRooms("ok").addRooms("bad room!").build()),
                "room may contain only", "INVALID_VALUE");
        assertInvalid(() -> backend.listUserRooms(ListUserRoomsRequest.getDefaultInstance()),
                "users must name 1-100 users", "INVALID_VALUE");
        ListUserRoomsRequest.Builder tooManyUsers = ListUserRoomsRequest.newBuilder();
        for (int i = 0; i <= 100; i++) {
            tooManyUsers.addUsers("u" + i);
        }
        assertInvalid(() -> backend.listUserRooms(tooManyUsers.build()), "users must name 1-100 users", "INVALID_VALUE");
        assertInvalid(() -> backend.listUserRooms(ListUserRoomsRequest.newBuilder().addUsers("ok").addUsers("system").build()),
                "user id 'system' is reserved", "INVALID_VALUE");
    }

    @Test
    void standardHealthServiceAndReflectionAnswerWithoutAnApiKey() throws Exception {
        HealthCheckResponse health = HealthGrpc.newBlockingStub(node.channel())
                .check(HealthCheckRequest.newBuilder().setService("").build());
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

        ServerReflectionResponse services = GrpcCalls.reflect(node.channel(),
                ServerReflectionRequest.newBuilder().setListServices("*").build());
        assertThat(services.getListServicesResponse().getServiceList())
                .extracting(service -> service.getName())
                .contains("dino.v1.Backend", "grpc.health.v1.Health");
    }

    private static void assertInvalid(Runnable call, String messagePart, String errorName) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains(messagePart);
            assertThat(e.getTrailers().get(Metadata.Key.of("dino-error", Metadata.ASCII_STRING_MARSHALLER)))
                    .isEqualTo(errorName);
        });
    }
}
