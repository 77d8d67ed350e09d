package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dino.api.v1.ListRoomMembersRequest;
import io.dino.api.v1.PublishToRoomRequest;
import io.dino.gateway.TestNode;
import io.grpc.ManagedChannel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.dino.gateway.TestNode.TIMEOUT;
import static io.dino.gateway.e2e.RawWebSocket.CLOSE;
import static io.dino.gateway.e2e.RawWebSocket.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Frames that pile up for a client that reads slowly go out gathered, several to a socket write; read as raw bytes
 * they are still whole frames, in order, also when Helidon writes a close frame of its own in the middle.
 */
class GatheredWritesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MESSAGES = 400;
    /** Small socket buffers on both ends, so that the queue backs up and its writes carry many frames each. */
    private static final Map<String, String> SMALL_SEND_BUFFER =
            Map.of("server.connection-options.socket-send-buffer-size", "16384");
    private static final int SMALL_RECEIVE_BUFFER = 4096;

    @Test
    void aBacklogReachesASlowReaderAsWholeFramesInOrder() throws Exception {
        try (TestNode node = TestNode.start(SMALL_SEND_BUFFER); RawWebSocket raw = joined(node, "reader")) {
            publish(node, MESSAGES);  // the client reads nothing meanwhile: the socket fills, the queue backs up

            List<String> bodies = new ArrayList<>();
            while (bodies.size() < MESSAGES) {
                RawWebSocket.Frame frame = raw.read();
                assertThat(frame.opCode()).isEqualTo(TEXT);
                assertThat(frame.fin()).isTrue();
                JsonNode frameJson = JSON.readTree(frame.text());  // a frame that is not whole does not parse
                if (frameJson.path("event").asText().equals("message")) {
                    bodies.add(frameJson.get("msg").get("body").asText());
                }
            }
            for (int i = 0; i < MESSAGES; i++) {
                assertThat(bodies.get(i)).isEqualTo(body(i));
            }
        }
    }

    @Test
    void helidonsAnswerToACloseDoesNotCutIntoAGatheredWrite() throws Exception {
        try (TestNode node = TestNode.start(SMALL_SEND_BUFFER); RawWebSocket raw = joined(node, "closer")) {
            publish(node, MESSAGES);
            raw.send(0x80 | CLOSE, new byte[] {0x03, (byte) 0xe8});  // Helidon answers on its reader thread

            List<String> bodies = new ArrayList<>();
            RawWebSocket.Frame frame;
            while ((frame = raw.read()).opCode() != CLOSE) {
                assertThat(frame.opCode()).isEqualTo(TEXT);
                JsonNode event = JSON.readTree(frame.text());  // a frame cut into by another write would not parse
                if (event.path("event").asText().equals("message")) {
                    bodies.add(event.get("msg").get("body").asText());
                }
            }
            assertThat(frame.closeCode()).isEqualTo(1000);
            for (int i = 0; i < bodies.size(); i++) {
                assertThat(bodies.get(i)).isEqualTo(body(i));
            }
        }
    }

    private static RawWebSocket joined(TestNode node, String user) throws IOException {
        RawWebSocket raw = RawWebSocket.open(node.port(), "/ws", TIMEOUT, SMALL_RECEIVE_BUFFER);
        raw.sendText("{\"id\":1,\"cmd\":\"connect\",\"token\":\"" + node.token(user) + "\"}");
        raw.sendText("{\"id\":2,\"cmd\":\"join\",\"room\":\"gathered\"}");
        await().atMost(TIMEOUT).until(() -> node.backend().listRoomMembers(
                ListRoomMembersRequest.newBuilder().setRoom("gathered").build()).getUsersList().contains(user));
        return raw;
    }

    private static void publish(TestNode node, int count) {
        ManagedChannel channel = node.channel();
        for (int i = 0; i < count; i++) {
            TestNode.backend(channel, TestNode.API_KEY).publishToRoom(PublishToRoomRequest.newBuilder().setRoom("gathered")
                    .setBodyJson(JSON.valueToTree(body(i)).toString()).build());
        }
    }

    /** Bodies of 7-bit and 16-bit frame lengths, with characters of two and four bytes. */
    private static String body(int i) {
        return i + ":" + (i % 5 == 0 ? "é🦖".repeat(900) : "x".repeat(i % 90));
    }
}
