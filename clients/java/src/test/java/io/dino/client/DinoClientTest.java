package io.dino.client;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure parts of DinoClient: how command frames and bodies are written. */
class DinoClientTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void commandPutsIdAndCmdFirstThenTheFields() throws Exception {
        ObjectNode fields = MAPPER.createObjectNode().put("room", "lobby").put("limit", 20);

        String frame = MAPPER.writeValueAsString(DinoClient.command(7, "history", fields));

        assertThat(frame).isEqualTo("{\"id\":7,\"cmd\":\"history\",\"room\":\"lobby\",\"limit\":20}");
    }

    @Test
    void commandIgnoresIdAndCmdInTheFields() {
        ObjectNode fields = MAPPER.createObjectNode().put("id", 99).put("cmd", "evil").put("room", "r");

        ObjectNode frame = DinoClient.command(3, "join", fields);

        assertThat(frame.get("id").asInt()).isEqualTo(3);
        assertThat(frame.get("cmd").asText()).isEqualTo("join");
        assertThat(frame.get("room").asText()).isEqualTo("r");
    }

    @Test
    void commandWithoutFields() {
        assertThat(DinoClient.command(1, "ping", null).toString()).isEqualTo("{\"id\":1,\"cmd\":\"ping\"}");
    }

    @Test
    void bodiesBecomeTheMatchingJsonValues() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("text", "hi");
        map.put("n", 2);

        assertThat(DinoClient.toJson("hello").isTextual()).isTrue();
        assertThat(DinoClient.toJson("hello").asText()).isEqualTo("hello");
        assertThat(DinoClient.toJson(42).isInt()).isTrue();
        assertThat(DinoClient.toJson(new BigDecimal("1.5")).decimalValue()).isEqualByComparingTo("1.5");
        assertThat(DinoClient.toJson(true).isBoolean()).isTrue();
        assertThat(DinoClient.toJson(null).isNull()).isTrue();
        assertThat(DinoClient.toJson(map).toString()).isEqualTo("{\"text\":\"hi\",\"n\":2}");
        assertThat(DinoClient.toJson(List.of(1, "a")).toString()).isEqualTo("[1,\"a\"]");
        JsonNode node = MAPPER.createObjectNode().put("k", "v");
        assertThat(DinoClient.toJson(node)).isSameAs(node);
    }
}
