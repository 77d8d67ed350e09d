package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

import static io.dino.gateway.TestNode.TIMEOUT;
import static io.dino.gateway.e2e.RawWebSocket.CLOSE;
import static io.dino.gateway.e2e.RawWebSocket.CONTINUATION;
import static io.dino.gateway.e2e.RawWebSocket.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** WebSocket frames that only a raw client sends: split characters, invalid UTF-8, reserved opcodes. */
class FrameLevelTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FIN = 0x80;
    private static final int MAX_FRAME_BYTES = 4096;
    private static final int HARD_FRAME_LIMIT = 4 * MAX_FRAME_BYTES;

    private static TestNode node;
    private static DinoClient bystander;
    private static EventRecorder bystanderEvents;

    @BeforeAll
    static void start() {
        node = TestNode.start(Map.of("dino.limits.max-frame-bytes", Integer.toString(MAX_FRAME_BYTES)));
        bystanderEvents = new EventRecorder();
        bystander = node.client("bystander", bystanderEvents);
        bystander.join("frames").join();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void charactersSplitBetweenFragmentsAreDeliveredAndStoredWhole() throws Exception {
        String body = "café 🦖 done";
        try (RawWebSocket raw = connected("splitter")) {
            raw.sendText("{\"id\":2,\"cmd\":\"join\",\"room\":\"frames\"}");
            assertThat(reply(raw, 2).has("result")).isTrue();
            byte[] command = ("{\"id\":3,\"cmd\":\"send\",\"room\":\"frames\",\"body\":\"" + body + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            int insideE = indexOf(command, "é") + 1;
            int insideDino = indexOf(command, "🦖") + 1;
            // the last but one fragment holds only one byte of the emoji's middle: no whole character at all
            raw.send(TEXT, Arrays.copyOfRange(command, 0, insideE));
            raw.send(CONTINUATION, Arrays.copyOfRange(command, insideE, insideDino));
            raw.send(CONTINUATION, Arrays.copyOfRange(command, insideDino, insideDino + 1));
            raw.send(FIN | CONTINUATION, Arrays.copyOfRange(command, insideDino + 1, command.length));
            assertThat(reply(raw, 3).has("result")).isTrue();
        }
        JsonNode delivered = bystanderEvents.await(e -> e.at("/msg/from").asText().equals("splitter"), TIMEOUT);
        assertThat(delivered.at("/msg/body").asText()).isEqualTo(body);
        JsonNode history = bystander.history("frames", 10).join();
        assertThat(history.get("messages")).extracting(m -> m.get("body").asText()).contains(body);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "ff",            // never valid in UTF-8
            "c0af",          // overlong encoding of '/'
            "eda080",        // a UTF-16 surrogate
            "f4908080",      // beyond U+10FFFF
            "c3",            // a character cut off at the end of the message
    })
    void invalidUtf8ClosesTheSocketWith1007(String badBytes) throws Exception {
        try (RawWebSocket raw = connected("garbler")) {
            ByteArrayOutputStream command = new ByteArrayOutputStream();
            command.writeBytes("{\"id\":2,\"cmd\":\"ping\",\"pad\":\"".getBytes(StandardCharsets.UTF_8));
            command.writeBytes(HexFormat.of().parseHex(badBytes));
            raw.send(FIN | TEXT, command.toByteArray());
            assertThat(raw.awaitClose().closeCode()).isEqualTo(1007);
        }
        assertOthersUnaffected();
    }

    @Test
    void aCharacterCutOffAtTheEndOfAFragmentedMessageClosesWith1007() throws Exception {
        try (RawWebSocket raw = connected("garbler")) {
            raw.send(TEXT, "{\"id\":2,\"cmd\":\"ping\",\"pad\":\"".getBytes(StandardCharsets.UTF_8));
            raw.send(FIN | CONTINUATION, new byte[] {'"', '}', (byte) 0xe2, (byte) 0x82});
            assertThat(raw.awaitClose().closeCode()).isEqualTo(1007);
        }
        assertOthersUnaffected();
    }

    @Test
    void aFragmentPushedOverTheHardLimitByACarriedCharacterClosesWith1009() throws Exception {
        try (RawWebSocket raw = connected("pusher")) {
            raw.send(TEXT, new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xc3});
            // exactly at the limit, but handed on with the é's first byte in front
            byte[] rest = new byte[HARD_FRAME_LIMIT];
            Arrays.fill(rest, (byte) 'x');
            rest[0] = (byte) 0xa9;
            rest[rest.length - 2] = '"';
            rest[rest.length - 1] = '}';
            raw.send(FIN | CONTINUATION, rest);
            assertThat(raw.awaitClose().closeCode()).isEqualTo(1009);
        }
        assertOthersUnaffected();
    }

    @ParameterizedTest(name = "opcode {0}")
    @ValueSource(ints = {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF})
    void reservedOpcodesCloseTheSocketWith1002(int opCode) throws Exception {
        try (RawWebSocket raw = connected("reserved")) {
            raw.send(FIN | opCode, "{}".getBytes(StandardCharsets.UTF_8));
            // the close frame comes first: no HTTP response is written into the socket
            RawWebSocket.Frame first = raw.read();
            assertThat(first.opCode()).isEqualTo(CLOSE);
            assertThat(first.closeCode()).isEqualTo(1002);
        }
        assertOthersUnaffected();
    }

    @Test
    void aCloseFrameWithAOneByteStatusClosesWith1002() throws Exception {
        try (RawWebSocket raw = connected("closer")) {
            raw.send(FIN | CLOSE, new byte[] {0x03});
            assertThat(raw.awaitClose().closeCode()).isEqualTo(1002);
        }
        assertOthersUnaffected();
    }

    private static RawWebSocket connected(String user) throws IOException {
        RawWebSocket raw = RawWebSocket.open(node.port(), "/ws", TIMEOUT);
        raw.sendText("{\"id\":1,\"cmd\":\"connect\",\"token\":\"" + node.token(user) + "\"}");
        assertThat(reply(raw, 1).at("/result/user").asText()).isEqualTo(user);
        return raw;
    }

    /** Reads frames until the reply to command {@code id}, skipping events. */
    private static JsonNode reply(RawWebSocket raw, int id) throws IOException {
        while (true) {
            RawWebSocket.Frame frame = raw.read();
            assertThat(frame.opCode()).as("frame type").isEqualTo(TEXT);
            JsonNode json = JSON.readTree(frame.text());
            if (json.path("id").asInt(-1) == id) {
                return json;
            }
        }
    }

    private static int indexOf(byte[] bytes, String text) {
        byte[] wanted = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + wanted.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + wanted.length, wanted, 0, wanted.length)) {
                return i;
            }
        }
        throw new IllegalArgumentException(text + " not found");
    }

    /** The refused socket's session is closed too, and the bystander's session works as before. */
    private static void assertOthersUnaffected() throws Exception {
        await().atMost(TIMEOUT).until(() -> Metrics.connections(node), open -> open == 1);
        String marker = "still-alive-" + System.nanoTime();
        bystander.send("frames", marker).join();
        bystanderEvents.await(e -> e.at("/msg/body").asText().equals(marker), TIMEOUT);
        assertThat(bystander.ping().join().has("ts")).isTrue();
    }
}
