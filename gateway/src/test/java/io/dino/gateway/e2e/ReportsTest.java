package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.client.DinoClient;
import io.dino.client.DinoException;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.dino.gateway.TestNode.TIMEOUT;
import static io.dino.gateway.e2e.AccessControlTest.refusal;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code report} and {@code requestAdmin} reach the operators in the admin room, which only operators may join. */
class ReportsTest {

    private static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start(Map.of("dino.moderation.admin-room", "mods"));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static JsonNode post(EventRecorder events, String type) throws Exception {
        return events.await(e -> e.path("event").asText().equals("message") && e.path("msg").path("room").asText().equals("mods")
                && e.path("msg").path("body").path("type").asText().equals(type), TIMEOUT).get("msg");
    }

    @Test
    void aReportAndARequestForAnAdminReachAnOperatorInTheAdminRoomAndItsHistory() throws Exception {
        DinoClient ann = node.client("rp-ann", new EventRecorder());
        ann.join("rp-room").join();
        // nobody in the admin room: the request is stored all the same
        assertThat(ann.requestAdmin("rp-room", "help, nobody is here").join().toString()).isEqualTo("{\"admins\":0}");

        EventRecorder opEvents = new EventRecorder();
        DinoClient op = node.operatorClient("rp-op", opEvents);
        JsonNode joined = op.join("mods").join();
        assertThat(joined.get("kind").asText()).isEqualTo("private");

        JsonNode sent = ann.send("rp-room", "hello").join();
        assertThat(ann.report("rp-room", sent.get("id").asText(), "rp-troll", "spam").join().toString())
                .isEqualTo("{\"reported\":true}");
        JsonNode report = post(opEvents, "report");
        assertThat(report.get("from").asText()).isEqualTo("system");
        assertThat(report.get("body").toString()).isEqualTo("{\"type\":\"report\",\"by\":\"rp-ann\",\"room\":\"rp-room\","
                + "\"messageId\":\"" + sent.get("id").asText() + "\",\"user\":\"rp-troll\",\"reason\":\"spam\"}");
        assertThat(ann.report(null, null, "rp-troll", null).join().get("reported").asBoolean()).isTrue();

        assertThat(ann.requestAdmin("rp-room", "flooding").join().toString()).isEqualTo("{\"admins\":1}");
        JsonNode request = post(opEvents, "request-admin");
        assertThat(request.get("body").toString())
                .isEqualTo("{\"type\":\"request-admin\",\"by\":\"rp-ann\",\"room\":\"rp-room\",\"reason\":\"flooding\"}");

        JsonNode history = op.history("mods", 10).join();
        assertThat(history.get("messages")).hasSize(4);
        assertThat(history.get("messages").get(0).get("body").toString())
                .isEqualTo("{\"type\":\"request-admin\",\"by\":\"rp-ann\",\"room\":\"rp-room\",\"reason\":\"help, nobody is here\"}");
        op.close();
        ann.close();
    }

    @Test
    void aNonOperatorCannotJoinOrReadTheAdminRoom() {
        DinoClient eve = node.client("rp-eve", new EventRecorder());
        DinoException join = refusal(eve.join("mods"));
        assertThat(join.name()).isEqualTo("NOT_ALLOWED");
        assertThat(join.getMessage()).isEqualTo("not allowed to join room 'mods': needs membership of the private room");
        assertThat(refusal(eve.history("mods", 10)).name()).isEqualTo("NOT_ALLOWED");
        eve.close();
    }

    @Test
    void theAdminRoomCannotBeRemoved() {
        try (io.dino.api.client.DinoBackendClient backend = io.dino.api.client.DinoBackendClient.builder("127.0.0.1",
                node.grpcPort()).apiKey(TestNode.API_KEY).build()) {
            io.grpc.StatusRuntimeException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                    io.grpc.StatusRuntimeException.class, () -> backend.removeRoom("mods"));
            assertThat(refused.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
            assertThat(refused.getStatus().getDescription()).isEqualTo("room 'mods' is the admin room and cannot be removed "
                    + "(configure another dino.moderation.admin-room first)");
            assertThat(backend.room("mods").getKind().name()).isEqualTo("ROOM_KIND_PRIVATE");
        }
    }

    @Test
    void badReportsAreRefused() {
        DinoClient bob = node.client("rp-bob", new EventRecorder());
        bob.join("rp-bad").join();
        DinoException noTarget = refusal(bob.report("rp-bad", null, null, "why"));
        assertThat(noTarget.name()).isEqualTo("MISSING_FIELD");
        assertThat(noTarget.getMessage()).isEqualTo("report a message (room and message) or a user (user)");
        assertThat(refusal(bob.report(null, "01JDQ0ZR7M8V4N6R3T5W7Y9A1C", null, null)).getMessage())
                .isEqualTo("'room' is required with 'message'");
        assertThat(refusal(bob.report(null, null, "rp-x", "x".repeat(501))).name()).isEqualTo("INVALID_VALUE");
        DinoException notIn = refusal(bob.requestAdmin("rp-elsewhere", null));
        assertThat(notIn.name()).isEqualTo("NOT_IN_ROOM");
        assertThat(notIn.getMessage()).isEqualTo("join room 'rp-elsewhere' before requesting an admin for it");
        bob.close();
    }
}
