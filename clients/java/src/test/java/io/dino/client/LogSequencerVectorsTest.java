package io.dino.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every case of the recovery vectors shared with the JavaScript SDK ({@code clients/test-vectors/recovery.json},
 * whose {@code about} describes the format) against {@link LogSequencer}: both clients must deliver the same
 * messages in the same order and report the same recoveries.
 */
class LogSequencerVectorsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    // Surefire runs in the module's directory, clients/java
    private static final Path VECTORS = Path.of("..", "test-vectors", "recovery.json");

    @TestFactory
    Stream<DynamicTest> everySharedVector() throws IOException {
        JsonNode file = MAPPER.readTree(Files.readString(VECTORS));
        assertThat(file.path("format").asInt()).isEqualTo(1);
        assertThat(file.path("cases").size()).isGreaterThanOrEqualTo(10);
        return StreamSupport.stream(file.path("cases").spliterator(), false)
                .map(vector -> DynamicTest.dynamicTest(vector.path("name").asText(), () -> check(vector)));
    }

    private static void check(JsonNode vector) {
        LogSequencer sequencer = new LogSequencer();
        List<String> out = new ArrayList<>();
        for (JsonNode step : vector.path("steps")) {
            String op = step.path("op").asText();
            LogId log = step.has("log") ? logId(step.path("log").asText()) : null;
            switch (op) {
                case "begin" -> sequencer.begin(log);
                case "live" -> sequencer.live(event(log, step.path("at").asText())).ifPresent(e -> out.add(delivered(log, e)));
                case "result" -> {
                    ObjectNode result = MAPPER.createObjectNode();
                    if (step.has("at")) {
                        Position at = parse(step.path("at").asText());
                        result.put("epoch", at.epoch()).put("offset", at.offset());
                    }
                    if (step.has("recovered")) {
                        result.put("recovered", step.path("recovered").asBoolean());
                    }
                    if (step.has("messages")) {
                        ArrayNode messages = result.putArray("messages");
                        step.path("messages").forEach(at -> messages.add(message(log, at.asText())));
                    }
                    if (step.has("unacked")) {
                        ArrayNode unacked = result.putArray("unacked");
                        step.path("unacked").forEach(at -> unacked.add(message(log, at.asText())));
                    }
                    LogSequencer.Completion completion = sequencer.complete(log, result);
                    Recovery r = completion.recovery();
                    if (r != null) {
                        out.add("recovery " + name(log) + " recovered=" + r.recovered() + " from=" + r.from() + " to=" + r.to()
                                + " replayed=" + r.replayed());
                    }
                    completion.deliver().forEach(e -> out.add(delivered(log, e)));
                }
                case "abort" -> sequencer.abort(log);
                case "forget" -> sequencer.forget(log);
                case "connectionLost" -> sequencer.connectionLost();
                default -> throw new IllegalArgumentException("unknown op " + op);
            }
        }
        List<String> expected = new ArrayList<>();
        vector.path("expect").forEach(line -> expected.add(line.asText()));
        assertThat(out).as("delivered and reported").containsExactlyElementsOf(expected);

        Map<String, String> positions = new LinkedHashMap<>();
        sequencer.positions().forEach((id, position) -> positions.put(name(id), position.toString()));
        Map<String, String> expectedPositions = new LinkedHashMap<>();
        vector.path("positions").properties().forEach(e -> expectedPositions.put(e.getKey(), e.getValue().asText()));
        assertThat(positions).as("positions").isEqualTo(expectedPositions);
        assertThat(sequencer.duplicatesDropped()).as("duplicates").isEqualTo(vector.path("duplicates").asLong());
        assertThat(sequencer.gaps()).as("gaps").isEqualTo(vector.path("gaps").asLong());
    }

    private static LogId logId(String name) {
        return name.equals("inbox") ? LogId.INBOX : LogId.room(name.substring("room:".length()));
    }

    private static String name(LogId log) {
        return log.isInbox() ? "inbox" : "room:" + log.room();
    }

    /** "e1:5" -> (e1, 5); split at the last ':' */
    private static Position parse(String text) {
        int colon = text.lastIndexOf(':');
        return new Position(text.substring(0, colon), Long.parseLong(text.substring(colon + 1)));
    }

    private static ObjectNode message(LogId log, String at) {
        Position p = parse(at);
        ObjectNode msg = MAPPER.createObjectNode().put("id", name(log) + "@" + at);
        if (log.isInbox()) {
            msg.put("to", "me");
        } else {
            msg.put("room", log.room());
        }
        return msg.put("from", "someone").put("ts", 0).put("epoch", p.epoch()).put("offset", p.offset()).put("body", at);
    }

    private static JsonNode event(LogId log, String at) {
        ObjectNode event = MAPPER.createObjectNode().put("event", log.eventName());
        event.set("msg", message(log, at));
        return event;
    }

    private static String delivered(LogId log, JsonNode event) {
        return "deliver " + name(log) + " " + Position.of(event.path("msg"));
    }
}
