package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/** Bad frames get a coded error, and neither the session nor anyone else is disturbed. */
class BadInputTest {

    private static TestNode node;
    private static DinoClient bystander;
    private static EventRecorder bystanderEvents;
    private DinoClient client;

    @BeforeAll
    static void start() {
        node = TestNode.start(Map.of(
                "dino.limits.max-frame-bytes", "2048",
                "dino.limits.max-message-bytes", "512",
                "dino.limits.max-rooms-per-session", "3"));
        bystanderEvents = new EventRecorder();
        bystander = node.client("bystander", bystanderEvents);
        bystander.join("shared").join();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @BeforeEach
    void connect() {
        client = node.client("tester", new EventRecorder());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "not json at all                                         | 4000 | MALFORMED_FRAME",
            "[1,2,3]                                                 | 4000 | MALFORMED_FRAME",
            "`\"just a string\"`                                     | 4000 | MALFORMED_FRAME",
            "{\"cmd\":\"ping\"}                                      | 4002 | MISSING_FIELD",
            "{\"id\":{\"x\":1},\"cmd\":\"ping\"}                     | 4003 | INVALID_VALUE",
            "{\"id\":-0,\"cmd\":\"ping\"}                          | 4003 | INVALID_VALUE",
            "{\"id\":7.0,\"cmd\":\"ping\"}                         | 4003 | INVALID_VALUE",
            "{\"id\":7e0,\"cmd\":\"ping\"}                         | 4003 | INVALID_VALUE",
            "{\"id\":7}                                              | 4002 | MISSING_FIELD",
            "{\"id\":7,\"cmd\":42}                                   | 4003 | INVALID_VALUE",
            "{\"id\":7,\"cmd\":\"fly\"}                              | 4001 | UNKNOWN_COMMAND",
            "{\"id\":7,\"cmd\":\"join\"}                             | 4002 | MISSING_FIELD",
            "{\"id\":7,\"cmd\":\"join\",\"room\":5}                  | 4003 | INVALID_VALUE",
            "{\"id\":7,\"cmd\":\"join\",\"room\":\"no spaces\"}      | 4003 | INVALID_VALUE",
            "{\"id\":7,\"cmd\":\"send\",\"room\":\"shared\",\"body\":\"x\"} | 4031 | NOT_IN_ROOM",
            "{\"id\":7,\"cmd\":\"leave\",\"room\":\"shared\"}        | 4031 | NOT_IN_ROOM",
            "{\"id\":7,\"cmd\":\"private\",\"to\":\"bob\"}           | 4002 | MISSING_FIELD",
            "{\"id\":7,\"cmd\":\"private\",\"to\":\"bob\",\"body\":\"  \"} | 4006 | EMPTY_MESSAGE",
            "{\"id\":7,\"cmd\":\"private\",\"to\":\"bob\",\"body\":{}} | 4006 | EMPTY_MESSAGE",
            "{\"id\":7,\"cmd\":\"private\",\"to\":\"bob\",\"body\":null} | 4006 | EMPTY_MESSAGE",
            "{\"id\":7,\"cmd\":\"private\",\"to\":\"\",\"body\":\"x\"} | 4003 | INVALID_VALUE",
            "{\"id\":7,\"cmd\":\"history\",\"room\":\"shared\",\"limit\":0} | 4003 | INVALID_VALUE",
            "{\"id\":7,\"cmd\":\"history\",\"room\":\"shared\",\"limit\":\"ten\"} | 4003 | INVALID_VALUE",
            "{\"id\":7,\"cmd\":\"connect\",\"token\":\"x\"}          | 4013 | ALREADY_CONNECTED",
            "{\"id\":7,\"cmd\":\"history\",\"inbox\":\"yes\"}        | 4003 | INVALID_VALUE",
            "{\"id\":7,\"cmd\":\"ping\"} {\"id\":8,\"cmd\":\"ping\"}  | 4000 | MALFORMED_FRAME",
            "{\"id\":7,\"cmd\":\"join\",\"room\":\"x\\ud800\"}   | 4003 | INVALID_VALUE",
            "{\"id\":7,\"cmd\":\"private\",\"to\":\"x\\ud800\",\"body\":1} | 4003 | INVALID_VALUE",
            "{\"id\":7,\"cmd\":\"private\",\"to\":\"system\",\"body\":1} | 4003 | INVALID_VALUE",
    })
    void badFrameGetsACodedErrorAndTheSessionStaysUsable(String frame, int code, String name) throws Exception {
        client.sendRaw(frame).join();

        JsonNode reply = client.awaitUnmatchedReply(TIMEOUT);
        assertThat(reply.at("/error/code").asInt()).isEqualTo(code);
        assertThat(reply.at("/error/name").asText()).isEqualTo(name);
        assertThat(reply.at("/error/message").asText()).isNotBlank();
        assertSessionsStillWork();
    }

    @Test
    void errorRepliesEchoTheCommandId() {
        client.sendRaw("{\"id\":\"req-9\",\"cmd\":\"fly\"}").join();
        JsonNode reply = awaitReply();
        assertThat(reply.get("id").asText()).isEqualTo("req-9");
        client.sendRaw("not json").join();
        assertThat(awaitReply().get("id").isNull()).isTrue();
    }

    @Test
    void aSecondJsonValueInTheFrameIsRefusedNotIgnored() throws Exception {
        client.sendRaw("{\"id\":1,\"cmd\":\"ping\"}{\"id\":2,\"cmd\":\"ping\"}").join();
        JsonNode reply = awaitReply();
        assertThat(reply.at("/error/name").asText()).isEqualTo("MALFORMED_FRAME");
        assertThat(reply.at("/error/message").asText())
                .isEqualTo("the frame must hold exactly one JSON value, but more follows it");
        assertSessionsStillWork();
    }

    @Test
    void numbersAndNestingBeyondTheParsersLimitsAreMalformed() throws Exception {
        String limits = "the frame exceeds a JSON limit (numbers of at most 1000 characters, nesting at most 1000 deep)";
        client.sendRaw("{\"id\":1,\"cmd\":\"ping\",\"n\":1" + "0".repeat(1000) + "}").join();
        assertThat(awaitReply().at("/error/message").asText()).isEqualTo(limits);
        client.sendRaw("{\"id\":2,\"cmd\":\"ping\",\"n\":" + "[".repeat(1000) + "]".repeat(1000) + "}").join();
        assertThat(awaitReply().at("/error/message").asText()).isEqualTo(limits);
        // at the limits (the frame's object is the first level), and within the 2048-byte frame limit
        client.sendRaw("{\"id\":3,\"cmd\":\"ping\",\"n\":1" + "0".repeat(999) + "}").join();
        JsonNode longest = awaitReply();
        assertThat(longest.has("result")).as(longest.toString()).isTrue();
        client.sendRaw("{\"id\":4,\"cmd\":\"ping\",\"deep\":" + "[".repeat(999) + "]".repeat(999) + "}").join();
        JsonNode deepest = awaitReply();
        assertThat(deepest.has("result")).as(deepest.toString()).isTrue();
        assertSessionsStillWork();
    }

    @Test
    void tooLargeFrameIsRefusedAndTheSessionStays() throws Exception {
        client.sendRaw("{\"id\":1,\"cmd\":\"ping\",\"pad\":\"" + "x".repeat(3000) + "\"}").join();
        assertThat(awaitReply().at("/error/name").asText()).isEqualTo("FRAME_TOO_LARGE");
        assertSessionsStillWork();
    }

    @Test
    void theFrameLimitCountsUtf8BytesNotCharacters() throws Exception {
        client.sendRaw("{\"id\":1,\"cmd\":\"ping\",\"pad\":\"" + "é".repeat(1500) + "\"}").join();
        assertThat(awaitReply().at("/error/name").asText()).isEqualTo("FRAME_TOO_LARGE");
        assertSessionsStillWork();
    }

    @Test
    void aFrameBeyondTheHardLimitClosesOnlyThatSocket() throws Exception {
        DinoClient reckless = node.client("reckless", new EventRecorder());
        reckless.sendRaw("{\"id\":1,\"cmd\":\"ping\",\"pad\":\"" + "x".repeat(4 * 2048 + 100) + "\"}");
        assertThat(reckless.closeFuture().get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).code())
                .isEqualTo(1009);
        assertSessionsStillWork();
    }

    @Test
    void tooLargeMessageBodyIsRefused() throws Exception {
        client.join("big").join();
        client.sendRaw("{\"id\":1,\"cmd\":\"send\",\"room\":\"big\",\"body\":\"" + "x".repeat(600) + "\"}").join();
        JsonNode reply = awaitReply();
        assertThat(reply.at("/error/name").asText()).isEqualTo("MESSAGE_TOO_LARGE");
        assertThat(reply.at("/error/code").asInt()).isEqualTo(4005);
        assertSessionsStillWork();
    }

    @Test
    void joiningMoreRoomsThanAllowedIsRefused() throws Exception {
        for (String room : new String[] {"r1", "r2", "r3"}) {
            client.join(room).join();
        }
        client.sendRaw("{\"id\":1,\"cmd\":\"join\",\"room\":\"r4\"}").join();
        assertThat(awaitReply().at("/error/name").asText()).isEqualTo("TOO_MANY_ROOMS");
        client.leave("r1").join();
        assertThat(client.join("r4").join().get("room").asText()).isEqualTo("r4");
    }

    @Test
    void aFloodOfGarbageFromOneClientDoesNotDisturbOthers() throws Exception {
        for (int i = 0; i < 200; i++) {
            client.sendRaw(i % 2 == 0 ? "\u0000\u0001garbage" : "{\"id\":" + i + ",\"cmd\":\"nope\"}");
        }
        client.ping().join();
        assertSessionsStillWork();
    }

    private JsonNode awaitReply() {
        try {
            return client.awaitUnmatchedReply(TIMEOUT);
        } catch (Exception e) {
            throw new AssertionError("no reply", e);
        }
    }

    private void assertSessionsStillWork() throws Exception {
        assertThat(client.ping().join().has("ts")).isTrue();
        String marker = "still-alive-" + System.nanoTime();
        bystander.send("shared", marker).join();
        bystanderEvents.await(e -> e.at("/msg/body").asText().equals(marker), TIMEOUT);
    }
}
