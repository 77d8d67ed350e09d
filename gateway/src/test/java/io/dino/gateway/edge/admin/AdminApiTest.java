package io.dino.gateway.edge.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import io.dino.gateway.engine.EventLog;
import io.dino.gateway.events.DomainEvent;
import io.dino.gateway.events.EventType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The admin console's API on the memory engine, through real HTTP and WebSocket clients: who may call it, what the
 * views show, and that each action runs the core operation (its own event) and emits one {@code admin-action} event.
 */
class AdminApiTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestNode node;
    private static String operator;

    @BeforeAll
    static void start() {
        node = TestNode.start(Map.of("dino.admin.enabled", "true", "dino.demo.enabled", "true"));
        operator = node.token("ops", Set.of("superuser"));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** A call's status and JSON body. */
    record Reply(int status, JsonNode body) {
        String error() {
            return body.path("name").asText() + " " + body.path("code").asInt();
        }
    }

    private static Reply call(String method, String path, String credential, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(node.httpUri(path)).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body()));
    }

    private static Reply get(String path) throws Exception {
        return call("GET", path, operator, null);
    }

    private static Reply act(String action, String body) throws Exception {
        return call("POST", "/admin/api/actions/" + action, operator, body);
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    /** Every domain event the node has emitted so far. */
    private static List<DomainEvent> events() throws Exception {
        List<DomainEvent> events = new ArrayList<>();
        try (EventLog.Reader reader = node.node().engine().events().reader()) {
            String after = EventLog.ORIGIN;
            while (true) {
                EventLog.Page page = reader.read(after, 1000, Duration.ofMillis(1));
                if (page.entries().isEmpty()) {
                    return events;
                }
                page.entries().forEach(entry -> events.add(entry.event()));
                after = page.next();
            }
        }
    }

    /** Awaits the one admin-action event of {@code action} on {@code user} and the operation's own event, if any. */
    private static DomainEvent awaitAdminEvent(String action, String user, EventType own) throws Exception {
        await().atMost(TIMEOUT).until(() -> events().stream().anyMatch(e -> e.type() == EventType.ADMIN_ACTION
                && e.data().get("action").equals(action) && e.user().equals(user)));
        if (own != null) {
            await().atMost(TIMEOUT).until(() -> events().stream().anyMatch(e -> e.type() == own && e.user().equals(user)));
        }
        return events().stream().filter(e -> e.type() == EventType.ADMIN_ACTION && e.data().get("action").equals(action)
                && e.user().equals(user)).reduce((first, second) -> second).orElseThrow();
    }

    @Test
    void onlyOperatorsAndApiKeysGetIn() throws Exception {
        Reply none = call("GET", "/admin/api/me", null, null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.error()).isEqualTo("NOT_AUTHENTICATED 4010");
        assertThat(none.body().path("message").asText()).contains("Authorization: Bearer");

        Reply garbage = call("GET", "/admin/api/me", "not-a-token", null);
        assertThat(garbage.status()).isEqualTo(401);
        assertThat(garbage.error()).isEqualTo("INVALID_TOKEN 4011");

        Reply user = call("GET", "/admin/api/nodes", node.token("carol"), null);
        assertThat(user.status()).isEqualTo(403);
        assertThat(user.error()).isEqualTo("NOT_ALLOWED 4030");
        assertThat(user.body().path("message").asText()).contains("for operators").contains("'carol'");
        Reply moderatorOfNothing = call("GET", "/admin/api/me", node.token("mo", Set.of("moderator")), null);
        assertThat(moderatorOfNothing.status()).isEqualTo(403);

        Reply superuser = get("/admin/api/me");
        assertThat(superuser.status()).isEqualTo(200);
        assertThat(superuser.body().path("by").asText()).isEqualTo("ops");
        assertThat(superuser.body().path("kind").asText()).isEqualTo("operator");
        assertThat(texts(superuser.body().path("roles"))).containsExactly("superuser");
        assertThat(call("GET", "/admin/api/me", node.token("gm", Set.of("globalmod")), null).status()).isEqualTo(200);

        Reply apiKey = call("GET", "/admin/api/me", TestNode.API_KEY, null);
        assertThat(apiKey.status()).isEqualTo(200);
        assertThat(apiKey.body().path("by").asText()).isEqualTo("backend");
        assertThat(apiKey.body().path("kind").asText()).isEqualTo("api-key");

        // refused actions are refused before anything runs
        assertThat(call("POST", "/admin/api/actions/kick", node.token("carol"), "{\"room\":\"r\",\"user\":\"u\"}").status())
                .isEqualTo(403);
    }

    @Test
    void thePageIsServedWithHeadersThatKeepItToItself() throws Exception {
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(node.httpUri("/admin/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("data-testid=\"login-credential\"").contains("src=\"app.js\"");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("default-src 'self'").contains("frame-ancestors 'none'"));
        HttpResponse<String> app = HTTP.send(HttpRequest.newBuilder(node.httpUri("/admin/app.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(app.statusCode()).isEqualTo(200);
        assertThat(app.body()).contains("from './api.js'");
        assertThat(HTTP.send(HttpRequest.newBuilder(node.httpUri("/demo/")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).as("the demo page is served beside the console").isEqualTo(200);
        Reply unknown = get("/admin/api/no-such-view");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error()).isEqualTo("UNKNOWN_COMMAND 4001");
    }

    @Test
    void theViewsShowTheNodeItsSessionsARoomAndAUser() throws Exception {
        EventRecorder events = new EventRecorder();
        DinoClient dora = node.client("dora", events);
        dora.join("v-hall").join();
        dora.send("v-hall", Map.of("text", "first")).join();
        dora.send("v-hall", Map.of("text", "second")).join();

        await().atMost(TIMEOUT).untilAsserted(() -> {
            JsonNode nodes = get("/admin/api/nodes").body().path("nodes");
            assertThat(nodes).hasSize(1);
            assertThat(nodes.get(0).path("node").asText()).isEqualTo(node.node().nodeId());
            assertThat(nodes.get(0).path("self").asBoolean()).isTrue();
            assertThat(nodes.get(0).path("sessions").asInt()).isPositive();
            assertThat(nodes.get(0).path("rooms").asInt()).isPositive();
            assertThat(nodes.get(0).path("startedAt").asLong()).isPositive();
            assertThat(nodes.get(0).path("version").asText()).as("the build's version and commit, as /observe/info says")
                    .isEqualTo(node.node().buildInfo().version() + " (" + node.node().buildInfo().commit() + ")");
        });

        JsonNode sessions = get("/admin/api/sessions").body();
        JsonNode mine = StreamSupport.stream(sessions.path("sessions").spliterator(), false)
                .filter(s -> s.path("user").asText().equals("dora")).findFirst().orElseThrow();
        assertThat(texts(mine.path("rooms"))).containsExactly("v-hall");
        assertThat(mine.path("since").asLong()).isPositive();
        assertThat(mine.path("peer").asText()).as("the client's address and port").matches("127\\.0\\.0\\.1:\\d+");

        JsonNode rooms = get("/admin/api/rooms").body();
        assertThat(rooms.path("channel").asText()).isEqualTo("default");
        assertThat(StreamSupport.stream(rooms.path("held").spliterator(), false)
                .anyMatch(r -> r.path("id").asText().equals("v-hall") && r.path("users").asInt() == 1)).isTrue();

        JsonNode room = get("/admin/api/rooms/v-hall").body();
        assertThat(texts(room.path("members"))).containsExactly("dora");
        assertThat(room.path("record").isNull()).as("an open room has no record").isTrue();

        JsonNode history = get("/admin/api/rooms/v-hall/history?limit=1").body();
        assertThat(history.path("messages")).hasSize(1);
        assertThat(history.path("messages").get(0).path("body").path("text").asText()).isEqualTo("second");
        long offset = history.path("messages").get(0).path("offset").asLong();
        JsonNode older = get("/admin/api/rooms/v-hall/history?limit=5&before=" + offset).body();
        assertThat(older.path("messages")).extracting(m -> m.path("body").path("text").asText()).containsExactly("first");

        JsonNode user = get("/admin/api/users/dora").body();
        assertThat(user.path("status").asText()).isEqualTo("online");
        assertThat(texts(user.path("rooms"))).containsExactly("v-hall");
        assertThat(user.path("sessionsHere")).hasSize(1);

        Reply badLimit = get("/admin/api/rooms/v-hall/history?limit=0");
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.error()).isEqualTo("INVALID_VALUE 4003");
    }

    @Test
    void aKickRunsTheKickOperationAndEmitsOneAdminActionBesidesKicked() throws Exception {
        EventRecorder events = new EventRecorder();
        DinoClient erin = node.client("erin", events);
        erin.join("k-hall").join();
        List<String> audit = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger auditLog = java.util.logging.Logger.getLogger("dino.admin");
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                audit.add(record.getLevel() + " " + new java.util.logging.SimpleFormatter().formatMessage(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        auditLog.addHandler(capture);

        Reply kicked = act("kick", "{\"room\":\"k-hall\",\"user\":\"erin\",\"reason\":\"flooding\"}");
        assertThat(kicked.status()).isEqualTo(200);
        assertThat(kicked.body().path("sessions").asInt()).isEqualTo(1);
        assertThat(kicked.body().path("action").asText()).isEqualTo("kick");
        JsonNode told = events.await(e -> e.path("event").asText().equals("kicked"), TIMEOUT);
        assertThat(told.path("by").asText()).isEqualTo("ops");
        assertThat(told.path("reason").asText()).isEqualTo("flooding");
        await().atMost(TIMEOUT).until(() -> texts(get("/admin/api/rooms/k-hall").body().path("members")).isEmpty());

        auditLog.removeHandler(capture);
        assertThat(audit).anySatisfy(line -> assertThat(line).startsWith("INFO admin action=kick by=ops (operator) room=k-hall "
                + "user=erin reason=\"flooding\" outcome=ok"));

        DomainEvent admin = awaitAdminEvent("kick", "erin", EventType.KICKED);
        assertThat(admin.room()).isEqualTo("k-hall");
        assertThat(admin.by()).isEqualTo("ops");
        assertThat(admin.data()).containsEntry("reason", "flooding").containsEntry("outcome", "ok")
                .containsEntry("via", "operator").containsEntry("sessions", "1");
        assertThat(events().stream().filter(e -> e.type() == EventType.ADMIN_ACTION && e.user().equals("erin"))).hasSize(1);
        assertThat(events().stream().filter(e -> e.type() == EventType.KICKED && e.user().equals("erin")))
                .singleElement().satisfies(e -> assertThat(e.by()).isEqualTo("ops"));
    }

    @Test
    void banUnbanMuteUnmuteDisconnectAndDeleteEachRunTheirOperation() throws Exception {
        EventRecorder events = new EventRecorder();
        DinoClient finn = node.client("finn", events);
        finn.join("m-hall").join();
        String messageId = finn.send("m-hall", Map.of("text", "delete me")).join().path("id").asText();

        assertThat(act("mute", "{\"room\":\"m-hall\",\"user\":\"finn\",\"duration\":\"10m\",\"reason\":\"cool down\"}")
                .body().path("until").asLong()).isPositive();
        assertThat(awaitAdminEvent("mute", "finn", EventType.MUTED).data()).containsEntry("duration", "10m");
        assertThat(get("/admin/api/rooms/m-hall").body().path("mutes").get(0).path("user").asText()).isEqualTo("finn");
        assertThat(act("unmute", "{\"room\":\"m-hall\",\"user\":\"finn\"}").body().path("removed").asBoolean()).isTrue();
        awaitAdminEvent("unmute", "finn", EventType.UNMUTED);

        Reply deleted = call("POST", "/admin/api/actions/delete", TestNode.API_KEY,
                "{\"room\":\"m-hall\",\"messageId\":\"" + messageId + "\",\"reason\":\"spam\"}");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(texts(deleted.body().path("messageIds"))).containsExactly(messageId);
        assertThat(get("/admin/api/rooms/m-hall/history").body().path("messages")).isEmpty();
        await().atMost(TIMEOUT).until(() -> events().stream().anyMatch(e -> e.type() == EventType.ADMIN_ACTION
                && e.data().get("action").equals("delete") && e.by().equals("backend")
                && e.data().get("via").equals("api-key") && e.data().get("messageIds").equals(messageId)));
        await().atMost(TIMEOUT).until(() -> events().stream().anyMatch(e -> e.type() == EventType.DELETED
                && e.room().equals("m-hall")));

        Reply banned = act("ban", "{\"user\":\"finn\",\"scope\":\"room\",\"target\":\"m-hall\",\"duration\":\"1h\"}");
        assertThat(banned.body().path("sessions").asInt()).isEqualTo(1);
        assertThat(awaitAdminEvent("ban", "finn", EventType.BANNED).data()).containsEntry("scope", "room")
                .containsEntry("target", "m-hall").containsEntry("outcome", "ok");
        assertThat(get("/admin/api/users/finn").body().path("bans").get(0).path("target").asText()).isEqualTo("m-hall");
        assertThat(act("unban", "{\"user\":\"finn\",\"scope\":\"room\",\"target\":\"m-hall\"}").body().path("removed")
                .asBoolean()).isTrue();
        awaitAdminEvent("unban", "finn", EventType.UNBANNED);

        assertThat(act("disconnect", "{\"user\":\"finn\",\"reason\":\"bye\"}").body().path("sessions").asInt()).isEqualTo(1);
        events.await(e -> e.path("event").asText().equals("disconnect"), TIMEOUT);
        awaitAdminEvent("disconnect", "finn", EventType.DISCONNECTED);
    }

    @Test
    void badRequestsAreRefusedWithTheErrorThatSaysWhyAndAuditedAsRefused() throws Exception {
        Reply missing = act("kick", "{\"room\":\"x-hall\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.error()).isEqualTo("MISSING_FIELD 4002");
        assertThat(missing.body().path("message").asText()).isEqualTo("'user' is required");

        Reply duration = act("ban", "{\"user\":\"gus\",\"scope\":\"global\",\"duration\":\"forever\"}");
        assertThat(duration.status()).isEqualTo(400);
        assertThat(duration.error()).isEqualTo("INVALID_VALUE 4003");
        assertThat(awaitAdminEvent("ban", "gus", null).data()).containsEntry("outcome", "INVALID_VALUE");
        assertThat(events().stream().filter(e -> e.type() == EventType.BANNED && e.user().equals("gus"))).isEmpty();

        Reply scope = act("ban", "{\"user\":\"gus\",\"scope\":\"planet\"}");
        assertThat(scope.error()).isEqualTo("INVALID_VALUE 4003");
        assertThat(act("explode", "{}").error()).isEqualTo("UNKNOWN_COMMAND 4001");
        assertThat(act("kick", "{not json").error()).isEqualTo("MALFORMED_FRAME 4000");
        assertThat(act("kick", "[1]").error()).isEqualTo("MALFORMED_FRAME 4000");

        Reply badId = act("delete", "{\"room\":\"never-used\",\"messageId\":\"m-1\"}");
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.error()).isEqualTo("INVALID_VALUE 4003");
        String unknownId = io.dino.gateway.core.Ids.next(System.currentTimeMillis());
        Reply noMessage = act("delete", "{\"room\":\"never-used\",\"messageId\":\"" + unknownId + "\"}");
        assertThat(noMessage.status()).isEqualTo(404);
        assertThat(noMessage.error()).isEqualTo("NO_SUCH_MESSAGE 4043");
    }

    @Test
    void aNodeWithoutTheConsoleAnswers404() throws Exception {
        try (TestNode plain = TestNode.start()) {
            for (String path : List.of("/admin/", "/admin/api/me", "/admin/app.js")) {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(plain.httpUri(path))
                        .header("Authorization", "Bearer " + TestNode.API_KEY).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(path).isEqualTo(404);
            }
        }
    }
}
