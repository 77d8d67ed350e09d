package io.dino.gateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.api.v1.BroadcastRequest;
import io.dino.api.v1.DisconnectUserRequest;
import io.dino.api.v1.DisconnectUserResponse;
import io.dino.api.v1.ListOnlineUsersRequest;
import io.dino.api.v1.ListRoomMembersRequest;
import io.dino.api.v1.PublishResponse;
import io.dino.api.v1.PublishToRoomRequest;
import io.dino.api.v1.PublishToUsersRequest;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import io.dino.gateway.e2e.AccessControlTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Three nodes sharing one real Redis: every delivery path crosses nodes, in order, once per user. */
class ClusterDeliveryTest {

    private static final AtomicInteger ROOMS = new AtomicInteger();
    private static RedisServer redis;
    /** The keys that put a node on the Redis of this class (a subclass runs the same tests on a Redis Cluster). */
    static Map<String, String> redisKeys;
    private static TestNode a;
    private static TestNode b;
    private static TestNode c;
    /** Holds no sessions: control commands sent through it reach the others only through Redis. */
    private static TestNode d;

    @BeforeAll
    static void startCluster() {
        redis = RedisServer.start();
        startNodes(Map.of("dino.redis.uri", redis.uri()));
    }

    static void startNodes(Map<String, String> redis) {
        redisKeys = redis;
        a = node("a");
        b = node("b");
        c = node("c");
        d = node("d");
    }

    static TestNode node(String id) {
        return node(id, Map.of());
    }

    static TestNode node(String id, Map<String, String> overrides) {
        Map<String, String> config = new java.util.HashMap<>(redisKeys);
        config.putAll(overrides);
        config.putAll(Map.of("dino.engine", "redis", "dino.node-id", id,
                "dino.cluster.heartbeat-interval", "PT0.5S", "dino.cluster.node-timeout", "PT5S"));
        return TestNode.start(config);
    }

    @AfterAll
    static void stopCluster() {
        stopNodes();
        redis.close();
    }

    static void stopNodes() {
        for (TestNode node : new TestNode[] {a, b, c, d}) {
            if (node != null) {
                node.close();
            }
        }
    }

    @Test
    void roomMessagesFromOneNodeReachMembersOnEveryNodeInOrder() throws Exception {
        String room = room();
        EventRecorder onB = new EventRecorder();
        EventRecorder onC = new EventRecorder();
        EventRecorder outsider = new EventRecorder();
        DinoClient sender = a.client("ann", new EventRecorder());
        b.client("bob", onB).join(room).join();
        c.client("cid", onC).join(room).join();
        c.client("out", outsider).join(room()).join();
        sender.join(room).join();

        for (int i = 1; i <= 20; i++) {
            sender.send(room, i).join();
        }

        for (EventRecorder member : List.of(onB, onC)) {
            List<JsonNode> messages = member.awaitCount(e -> isMessageIn(e, room), 20, TIMEOUT);
            assertThat(messages).extracting(e -> e.at("/msg/offset").asLong()).isEqualTo(LongStream.rangeClosed(1, 20).boxed().toList());
            assertThat(messages).extracting(e -> e.at("/msg/body").asInt()).isEqualTo(LongStream.rangeClosed(1, 20).mapToObj(i -> (int) i).toList());
            assertThat(messages.getFirst().at("/msg/from").asText()).isEqualTo("ann");
        }
        c.client("ping", new EventRecorder()).ping().join();
        assertThat(outsider.events("message")).isEmpty();
    }

    @Test
    void aMessageSentWithoutEchoSkipsOnlyTheSendingSession() throws Exception {
        String room = room();
        EventRecorder sending = new EventRecorder();
        EventRecorder sameUserOnB = new EventRecorder();
        EventRecorder sameUserOnA = new EventRecorder();
        EventRecorder other = new EventRecorder();
        DinoClient sender = a.client("una", sending);
        sender.join(room).join();
        a.client("una", sameUserOnA).join(room).join();
        b.client("una", sameUserOnB).join(room).join();
        c.client("vic", other).join(room).join();

        JsonNode quiet = sender.send(room, "quiet", false).join();
        sender.send(room, "loud").join();

        for (EventRecorder member : List.of(sameUserOnA, sameUserOnB, other)) {
            assertThat(member.awaitCount(e -> isMessageIn(e, room), 2, TIMEOUT))
                    .extracting(e -> e.at("/msg/body").asText()).containsExactly("quiet", "loud");
        }
        // The sending session's first message event is the second message: the first was not echoed.
        JsonNode first = sending.await(e -> isMessageIn(e, room), TIMEOUT);
        assertThat(first.at("/msg/body").asText()).isEqualTo("loud");
        assertThat(first.at("/msg/offset").asLong()).isEqualTo(quiet.get("offset").asLong() + 1);
        assertThat(sending.events().stream().filter(e -> isMessageIn(e, room))).hasSize(1);
    }

    @Test
    void aStatusSetOnOneNodeIsSeenOnTheOthersAndInvisibleIsHiddenFromNonOperatorsThere() throws Exception {
        String user = "st" + ROOMS.incrementAndGet();
        EventRecorder onB = new EventRecorder();
        DinoClient onA = a.operatorClient(user, new EventRecorder());
        b.client(user, onB);
        DinoClient viewer = c.client("viewer" + user, new EventRecorder());
        DinoClient operator = c.operatorClient("op" + user, new EventRecorder());

        onA.setStatus("away").join();
        assertThat(onB.await("status", TIMEOUT).get("status").asText()).isEqualTo("away");
        assertThat(statusSeenBy(viewer, user)).isEqualTo("away");

        onA.setStatus("invisible").join();
        assertThat(statusSeenBy(viewer, user)).isEqualTo("offline");
        assertThat(statusSeenBy(operator, user)).isEqualTo("invisible");
        assertThat(d.backend().getUserStatus(io.dino.api.v1.GetUserStatusRequest.newBuilder().addUsers(user).build())
                .getUsers(0).getStatus()).isEqualTo(io.dino.api.v1.PresenceStatus.PRESENCE_STATUS_INVISIBLE);
    }

    @Test
    void anInvisibleUserWithSessionsOnTwoNodesLeavesOnceForOthersAndIsHiddenFromMemberListsOfEveryNode() throws Exception {
        String room = room();
        String user = "gh" + ROOMS.incrementAndGet();
        EventRecorder watcherEvents = new EventRecorder();
        DinoClient watcher = c.client("w" + user, watcherEvents);
        watcher.join(room).join();
        EventRecorder operatorEvents = new EventRecorder();
        DinoClient operator = c.operatorClient("o" + user, operatorEvents);
        operator.join(room).join();
        DinoClient onA = a.operatorClient(user, new EventRecorder());
        onA.join(room).join();
        b.operatorClient(user, new EventRecorder()).join(room).join();
        watcherEvents.await(e -> "joined".equals(e.path("event").asText()) && user.equals(e.path("user").asText()), TIMEOUT);

        onA.setStatus("invisible").join();

        watcherEvents.await(e -> "left".equals(e.path("event").asText()) && user.equals(e.path("user").asText()), TIMEOUT);
        assertThat(watcher.members(room).join().get("members").toString()).doesNotContain("\"" + user + "\"");
        assertThat(b.client("x" + user, new EventRecorder()).members(room).join().get("members").toString())
                .doesNotContain("\"" + user + "\"");
        assertThat(operator.members(room).join().get("members").toString()).contains("\"" + user + "\"");
        // a marker after the change: by the time it arrives, a second "left" from the other node would have too
        DinoClient marker = d.client("m" + user, new EventRecorder());
        marker.join(room).join();
        watcherEvents.await(e -> "joined".equals(e.path("event").asText()) && ("m" + user).equals(e.path("user").asText()), TIMEOUT);
        assertThat(watcherEvents.events("left")).filteredOn(e -> user.equals(e.path("user").asText())).hasSize(1);
        assertThat(operatorEvents.events("left")).filteredOn(e -> user.equals(e.path("user").asText())).isEmpty();
    }

    @Test
    void listUserRoomsThroughAThirdNodeListsTheRoomsOfSessionsOnTwoNodesUntilTheyLeaveOrClose() throws Exception {
        String user = "wh" + ROOMS.incrementAndGet();
        String roomOnA = room();
        String roomOnB = room();
        String shared = room();
        DinoClient onA = a.client(user, new EventRecorder());
        DinoClient onB = b.client(user, new EventRecorder());
        onA.join(roomOnA).join();
        onA.join(shared).join();
        onB.join(roomOnB).join();
        onB.join(shared).join();

        assertThat(roomsOf(user)).containsExactlyElementsOf(java.util.stream.Stream.of(roomOnA, roomOnB, shared).sorted().toList());

        onA.leave(roomOnA).join();
        assertThat(roomsOf(user)).containsExactlyElementsOf(java.util.stream.Stream.of(roomOnB, shared).sorted().toList());
        onB.close();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(roomsOf(user)).containsExactly(shared));
        onA.close();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(roomsOf(user)).isEmpty());
    }

    /** ListUserRooms through d, which holds no sessions. */
    private static List<String> roomsOf(String user) {
        return d.backend().listUserRooms(io.dino.api.v1.ListUserRoomsRequest.newBuilder().addUsers(user).build())
                .getUsers(0).getRoomsList();
    }

    @Test
    void lastOnlineIsSharedByTheNodes() throws Exception {
        String user = "lo" + ROOMS.incrementAndGet();
        DinoClient session = a.client(user, new EventRecorder());
        long before = System.currentTimeMillis();
        session.close();
        await().atMost(TIMEOUT).until(() -> d.backend().getLastOnline(io.dino.api.v1.GetLastOnlineRequest.newBuilder()
                .addUsers(user).build()).getUsers(0).getLastOnlineMs() >= before);
        JsonNode seenOnB = b.client("lw" + user, new EventRecorder()).presence(List.of(user)).join().get("users").get(0);
        assertThat(seenOnB.get("status").asText()).isEqualTo("offline");
        assertThat(seenOnB.get("lastOnline").asLong()).isBetween(before, System.currentTimeMillis());
    }

    @Test
    void withTheSingleSessionRuleAConnectOnOneNodeReplacesTheSessionsOnTheOthers() throws Exception {
        Map<String, String> single = Map.of("dino.sessions.single", "true");
        try (TestNode singleA = node("sa" + ROOMS.incrementAndGet(), single);
             TestNode singleB = node("sb" + ROOMS.incrementAndGet(), single)) {
            String user = "one" + ROOMS.incrementAndGet();
            EventRecorder olderEvents = new EventRecorder();
            DinoClient older = singleA.client(user, olderEvents);
            EventRecorder newerEvents = new EventRecorder();
            DinoClient newer = singleB.client(user, newerEvents);

            JsonNode disconnect = olderEvents.await("disconnect", TIMEOUT);
            assertThat(disconnect.get("name").asText()).isEqualTo("REPLACED");
            assertThat(disconnect.get("reconnect").asBoolean()).isFalse();
            assertThat(older.closeFuture().get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).code()).isEqualTo(4091);
            assertThat(newer.ping().join().has("ts")).isTrue();
            assertThat(newerEvents.events("disconnect")).isEmpty();
            await().atMost(TIMEOUT).until(() -> d.backend().listOnlineUsers(ListOnlineUsersRequest.getDefaultInstance())
                    .getUsersList().contains(user));
        }
    }

    private static String statusSeenBy(DinoClient viewer, String user) {
        return viewer.presence(List.of(user)).join().get("users").get(0).get("status").asText();
    }

    @Test
    void disconnectUserThroughANodeWithoutSessionsClosesTheUsersSessionsOnEveryNode() throws Exception {
        String room = room();
        List<EventRecorder> sessions = List.of(new EventRecorder(), new EventRecorder(), new EventRecorder());
        a.client("ivy", sessions.get(0)).join(room).join();
        b.client("ivy", sessions.get(1)).join(room).join();
        c.client("ivy", sessions.get(2));
        EventRecorder bystander = new EventRecorder();
        b.client("jay", bystander).join(room).join();

        DisconnectUserResponse reply = d.backend().disconnectUser(DisconnectUserRequest.newBuilder()
                .setUser("ivy").setReason("banned").setReconnect(false).build());

        assertThat(reply.getSessionsClosed()).isEqualTo(3);
        for (EventRecorder session : sessions) {
            JsonNode disconnect = session.await("disconnect", TIMEOUT);
            assertThat(disconnect.get("code").asInt()).isEqualTo(4090);
            assertThat(disconnect.get("name").asText()).isEqualTo("DISCONNECTED");
            assertThat(disconnect.get("reason").asText()).isEqualTo("banned");
            assertThat(disconnect.get("reconnect").asBoolean()).isFalse();
        }
        bystander.await(e -> e.path("event").asText().equals("left") && e.path("user").asText().equals("ivy"), TIMEOUT);
        await().atMost(TIMEOUT).until(() -> !d.backend().listOnlineUsers(ListOnlineUsersRequest.getDefaultInstance())
                .getUsersList().contains("ivy"));
        assertThat(bystander.events("disconnect")).isEmpty();
        assertThat(d.backend().disconnectUser(DisconnectUserRequest.newBuilder().setUser("ivy").build()).getSessionsClosed())
                .isZero();
    }

    @Test
    void aRoomRuleChangeThroughANodeWithoutSessionsRemovesMembersOnEveryNodeAtOnce() throws Exception {
        String room = room();
        EventRecorder stayerOnA = new EventRecorder();
        EventRecorder goerOnB = new EventRecorder();
        EventRecorder goerOnC = new EventRecorder();
        DinoClient stayer = a.client("sten", java.util.Set.of(), Map.of("age", "40"), stayerOnA);
        stayer.join(room).join();
        DinoClient goer = b.client("gil", java.util.Set.of(), Map.of("age", "16"), goerOnB);
        goer.join(room).join();
        c.client("gil", java.util.Set.of(), Map.of("age", "16"), goerOnC).join(room).join();
        DinoClient operatorOnC = c.client("olga", java.util.Set.of("globalmod"), Map.of(), new EventRecorder());
        operatorOnC.join(room).join();
        stayer.send(room, "\"before\"").join();
        goerOnB.await(e -> isMessageIn(e, room), TIMEOUT);

        io.dino.api.v1.SetRoomAclResponse reply = d.backend().setRoomAcl(io.dino.api.v1.SetRoomAclRequest.newBuilder()
                .setRoom(room).putRules("join", "age=18:").putRules("message", "age=21:").build());

        assertThat(reply.getSessionsRemoved()).isEqualTo(2);
        for (EventRecorder removed : List.of(goerOnB, goerOnC)) {
            JsonNode event = removed.await("removed", TIMEOUT);
            assertThat(event.get("room").asText()).isEqualTo(room);
            assertThat(event.get("reason").asText()).isEqualTo("access changed");
        }
        JsonNode left = stayerOnA.await(e -> "left".equals(e.path("event").asText()), TIMEOUT);
        assertThat(left.get("user").asText()).isEqualTo("gil");
        assertThat(d.backend().listRoomMembers(io.dino.api.v1.ListRoomMembersRequest.newBuilder().setRoom(room).build())
                .getUsersList()).containsExactly("olga", "sten");
        // every node sees the new rules at once, also where they were cached: the send path of a member on A
        DinoClient youngAdult = b.client("yan", java.util.Set.of(), Map.of("age", "19"), new EventRecorder());
        youngAdult.join(room).join();
        assertThat(AccessControlTest.refusal(youngAdult.send(room, "\"hi\"")).getMessage())
                .isEqualTo("not allowed to send to room '" + room + "': needs age=21:");
        stayer.send(room, "\"after\"").join();
        assertThat(AccessControlTest.refusal(goer.join(room)).getMessage())
                .isEqualTo("not allowed to join room '" + room + "': needs age=18:");
        assertThat(goerOnB.events().stream().filter(e -> isMessageIn(e, room))).hasSize(1);

        d.backend().setRoomAcl(io.dino.api.v1.SetRoomAclRequest.newBuilder().setRoom(room).build());
        goer.join(room).join();
        youngAdult.send(room, "\"now open\"").join();
    }

    @Test
    void aNodeThatStoppedHoldingARoomDoesNotKeepItsOldRules() {
        String room = room();
        DinoClient visitor = a.client("vera", new EventRecorder());
        visitor.join(room).join();
        visitor.send(room, "\"cached the open rules\"").join();
        visitor.leave(room).join();  // a holds the room no more: a change would not reach it

        d.backend().setRoomAcl(io.dino.api.v1.SetRoomAclRequest.newBuilder().setRoom(room).putRules("message", "deny").build());

        visitor.join(room).join();
        assertThat(AccessControlTest.refusal(visitor.send(room, "\"stale?\"")).getMessage())
                .isEqualTo("not allowed to send to room '" + room + "': needs deny");
    }

    @Test
    void privateMessagesReachEverySessionOfTheUserOnEveryNode() throws Exception {
        EventRecorder phone = new EventRecorder();
        EventRecorder laptop = new EventRecorder();
        b.client("dora", phone);
        c.client("dora", laptop);

        JsonNode accepted = a.client("eve", new EventRecorder()).sendPrivate("dora", "hi dora").join();
        var backendResult = a.backend().publishToUsers(PublishToUsersRequest.newBuilder()
                .addUsers("dora").setBodyJson("{\"n\":2}").build());

        for (EventRecorder session : List.of(phone, laptop)) {
            List<JsonNode> inbox = session.awaitCount(e -> e.path("event").asText().equals("private"), 2, TIMEOUT);
            assertThat(inbox.get(0).at("/msg/body").asText()).isEqualTo("hi dora");
            assertThat(inbox.get(0).at("/msg/offset").asLong()).isEqualTo(accepted.get("offset").asLong());
            assertThat(inbox.get(1).at("/msg/offset").asLong()).isEqualTo(backendResult.getResults(0).getPosition().getOffset());
        }
    }

    @Test
    void backendPublishesAndBroadcastsThroughAnyNodeReachEveryNode() throws Exception {
        String room = room();
        EventRecorder onA = new EventRecorder();
        EventRecorder onC = new EventRecorder();
        a.client("fay", onA).join(room).join();
        c.client("gus", onC).join(room).join();

        PublishResponse stored = b.backend().publishToRoom(PublishToRoomRequest.newBuilder().setRoom(room).setBodyJson("\"news\"").build());
        b.backend().broadcast(BroadcastRequest.newBuilder().setBodyJson("\"all hands\"").build());

        for (EventRecorder session : List.of(onA, onC)) {
            assertThat(session.await(e -> isMessageIn(e, room), TIMEOUT).at("/msg/offset").asLong())
                    .isEqualTo(stored.getPosition().getOffset());
            assertThat(session.await("broadcast", TIMEOUT).at("/msg/body").asText()).isEqualTo("all hands");
        }
    }

    @Test
    void anIdempotencyKeyHoldsAcrossNodes() {
        PublishToRoomRequest request = PublishToRoomRequest.newBuilder().setRoom(room()).setBodyJson("1").setIdempotencyKey("k-1").build();
        PublishResponse first = a.backend().publishToRoom(request);
        PublishResponse retriedElsewhere = c.backend().publishToRoom(request);
        assertThat(retriedElsewhere).isEqualTo(first);
    }

    @Test
    void presenceIsClusterWideAndJoinLeaveAreAnnouncedOncePerUser() throws Exception {
        String room = room();
        EventRecorder watcher = new EventRecorder();
        a.client("watch", watcher).join(room).join();
        DinoClient tabOnB = b.client("hank", new EventRecorder());
        DinoClient tabOnC = c.client("hank", new EventRecorder());
        tabOnB.join(room).join();
        tabOnC.join(room).join();

        assertThat(c.backend().listRoomMembers(ListRoomMembersRequest.newBuilder().setRoom(room).build()).getUsersList())
                .containsExactly("hank", "watch");
        assertThat(a.backend().listOnlineUsers(ListOnlineUsersRequest.getDefaultInstance()).getUsersList()).containsOnlyOnce("hank");
        tabOnB.leave(room).join();
        tabOnC.leave(room).join();

        watcher.await(e -> e.path("event").asText().equals("left") && e.path("user").asText().equals("hank"), TIMEOUT);
        assertThat(watcher.events("joined")).filteredOn(e -> e.get("user").asText().equals("hank")).hasSize(1);
        assertThat(watcher.events("left")).filteredOn(e -> e.get("user").asText().equals("hank")).hasSize(1);
    }

    @Test
    void eightConcurrentPublishersOnThreeNodesAreSeenInOneOrderByEverySubscriber() throws Exception {
        String room = room();
        TestNode[] nodes = {a, b, c};
        List<EventRecorder> subscribers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            EventRecorder events = new EventRecorder();
            nodes[i].client("sub" + i, events).join(room).join();
            subscribers.add(events);
        }
        List<DinoClient> publishers = new ArrayList<>();
        for (int p = 0; p < 8; p++) {
            DinoClient publisher = nodes[p % 3].client("pub" + p, new EventRecorder());
            publisher.join(room).join();
            publishers.add(publisher);
        }
        int each = 25;
        List<CompletableFuture<JsonNode>> sent = new ArrayList<>();
        for (int i = 0; i < each; i++) {
            for (int p = 0; p < 8; p++) {
                sent.add(publishers.get(p).send(room, Map.of("p", p, "i", i)));
            }
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();

        List<String> reference = null;
        for (EventRecorder subscriber : subscribers) {
            List<JsonNode> seen = subscriber.awaitCount(e -> isMessageIn(e, room), 8 * each, TIMEOUT);
            assertThat(seen).extracting(e -> e.at("/msg/offset").asLong())
                    .isEqualTo(LongStream.rangeClosed(1, 8L * each).boxed().toList());
            List<String> order = seen.stream().map(e -> e.at("/msg/id").asText()).toList();
            if (reference == null) {
                reference = order;
            }
            assertThat(order).isEqualTo(reference);
        }
    }

    @Test
    void aClientReconnectingToAnotherNodeGetsExactlyWhatItMissed() throws Exception {
        String room = room();
        DinoClient publisher = a.client("ida", new EventRecorder());
        publisher.join(room).join();
        publisher.send(room, "before").join();
        EventRecorder firstEvents = new EventRecorder();
        DinoClient reader = b.client("jon", firstEvents);
        JsonNode joined = reader.join(room).join();
        publisher.send(room, "seen").join();
        JsonNode seen = firstEvents.await(e -> isMessageIn(e, room), TIMEOUT).get("msg");
        reader.close();
        for (int i = 1; i <= 3; i++) {
            publisher.send(room, "missed " + i).join();
        }

        DinoClient back = c.client("jon", new EventRecorder());
        JsonNode rejoined = back.request("join", sinceFields(room, seen)).join();

        assertThat(joined.get("epoch").asText()).isEqualTo(seen.get("epoch").asText());
        assertThat(rejoined.get("recovered").asBoolean()).isTrue();
        assertThat(rejoined.get("messages")).extracting(m -> m.get("body").asText()).containsExactly("missed 1", "missed 2", "missed 3");
        assertThat(rejoined.get("messages")).extracting(m -> m.get("offset").asLong()).containsExactly(3L, 4L, 5L);
    }

    @Test
    void aGapBeyondRetentionIsReportedNotPartlyReplayed() throws Exception {
        Map<String, String> config = new java.util.HashMap<>(redisKeys);
        config.putAll(Map.of("dino.engine", "redis", "dino.redis.prefix", "small", "dino.history.retained-per-log", "3"));
        try (TestNode small = TestNode.start(config)) {
            String room = room();
            DinoClient publisher = small.client("kim", new EventRecorder());
            publisher.join(room).join();
            JsonNode first = publisher.send(room, "m1").join();
            for (int i = 2; i <= 400; i++) {
                publisher.send(room, "m" + i).join();
            }
            DinoClient late = small.client("lou", new EventRecorder());
            JsonNode rejoined = late.request("join", sinceFields(room, first)).join();

            assertThat(rejoined.get("recovered").asBoolean()).isFalse();
            assertThat(rejoined.get("messages")).isEmpty();
            assertThat(rejoined.get("offset").asLong()).isEqualTo(400);
        }
    }

    @Test
    void aUserWhoWasOfflineGetsTheInboxMessagesOnConnect() throws Exception {
        JsonNode connected = a.client("mia", new EventRecorder()).connectResult();
        JsonNode inbox = connected.get("inbox");
        b.backend().publishToUsers(PublishToUsersRequest.newBuilder().addUsers("mia").setBodyJson("\"while away 1\"").build());
        b.backend().publishToUsers(PublishToUsersRequest.newBuilder().addUsers("mia").setBodyJson("\"while away 2\"").build());

        DinoClient back = DinoClient.builder(c.wsUri()).open().join();
        com.fasterxml.jackson.databind.node.ObjectNode fields = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        fields.put("token", c.token("mia"));
        fields.putObject("inbox").put("epoch", inbox.get("epoch").asText()).put("offset", inbox.get("offset").asLong());
        JsonNode result = back.request("connect", fields).join();
        back.close();

        assertThat(result.at("/inbox/recovered").asBoolean()).isTrue();
        assertThat(result.at("/inbox/messages")).extracting(m -> m.get("body").asText()).containsExactly("while away 1", "while away 2");
        assertThat(result.at("/inbox/messages/0/to").asText()).isEqualTo("mia");
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode sinceFields(String room, JsonNode position) {
        com.fasterxml.jackson.databind.node.ObjectNode fields = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        fields.put("room", room);
        fields.putObject("since").put("epoch", position.get("epoch").asText()).put("offset", position.get("offset").asLong());
        return fields;
    }

    private static String room() {
        return "room-" + ROOMS.incrementAndGet();
    }

    private static boolean isMessageIn(JsonNode event, String room) {
        return event.path("event").asText().equals("message") && event.at("/msg/room").asText().equals(room);
    }
}
