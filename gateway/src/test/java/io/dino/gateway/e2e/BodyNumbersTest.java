package io.dino.gateway.e2e;

import io.dino.api.v1.PublishToRoomRequest;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Numbers in message bodies reach every reader exactly as the sender wrote them: the frames are read as
 * text, since a JSON client would itself turn 1e400 into infinity.
 */
class BodyNumbersTest {

    /** Beyond a double (1e400, 23 digits), more digits than a double keeps, and forms a parser normalizes. */
    private static final String BODY = "{\"big\":1e400,\"precise\":0.1000000000000000055511151231257827,"
            + "\"huge\":12345678901234567890123,\"negativeZero\":-0,\"small\":1E-7,\"list\":[1.50,-0.0,2e+5,-12]}";

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
    void roomMessagesAndHistoryKeepTheSendersNumberText() throws Exception {
        try (TextWebSocket alice = connected("alice")) {
            alice.send("{\"id\":1,\"cmd\":\"join\",\"room\":\"numbers\"}");
            await(alice, "\"id\":1,");
            alice.send("{\"id\":2,\"cmd\":\"send\",\"room\":\"numbers\",\"body\":" + BODY + "}");
            assertThat(await(alice, "\"event\":\"message\"")).endsWith("\"body\":" + BODY + "}}");
            alice.send("{\"id\":3,\"cmd\":\"history\",\"room\":\"numbers\"}");
            assertThat(await(alice, "\"id\":3,")).contains("\"body\":" + BODY + "}");
        }
    }

    @Test
    void privateMessagesKeepTheSendersNumberText() throws Exception {
        try (TextWebSocket ann = connected("ann"); TextWebSocket ben = connected("ben")) {
            ann.send("{\"id\":1,\"cmd\":\"private\",\"to\":\"ben\",\"body\":" + BODY + "}");
            assertThat(await(ben, "\"event\":\"private\"")).endsWith("\"body\":" + BODY + "}}");
        }
    }

    @Test
    void backendBodiesKeepTheirNumberText() throws Exception {
        try (TextWebSocket reader = connected("reader")) {
            reader.send("{\"id\":1,\"cmd\":\"join\",\"room\":\"backend-numbers\"}");
            await(reader, "\"id\":1,");
            node.backend().publishToRoom(PublishToRoomRequest.newBuilder().setRoom("backend-numbers")
                    .setBodyJson(" " + BODY.replace(",", ", ") + "\n").build());
            assertThat(await(reader, "\"event\":\"message\"")).endsWith("\"body\":" + BODY + "}}");
        }
    }

    private static TextWebSocket connected(String user) throws Exception {
        TextWebSocket socket = TextWebSocket.open(node.wsUri(), Map.of(), TIMEOUT).join();
        socket.send("{\"id\":0,\"cmd\":\"connect\",\"token\":\"" + node.token(user) + "\"}");
        assertThat(await(socket, "\"id\":0,")).contains("\"result\"");
        return socket;
    }

    /** The next frame that contains the marker; frames before it are skipped. */
    private static String await(TextWebSocket socket, String marker) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            String frame = socket.next(java.time.Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (frame.contains(marker)) {
                return frame;
            }
        }
    }
}
