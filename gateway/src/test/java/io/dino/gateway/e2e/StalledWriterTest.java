package io.dino.gateway.e2e;

import io.dino.api.v1.ListRoomMembersRequest;
import io.dino.api.v1.PublishToRoomRequest;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import io.grpc.ManagedChannel;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Few writer threads serve all sessions' queues, and a write to a client that does not read blocks: a writer stuck
 * in such a write must not hold up what the other sessions are sent.
 */
class StalledWriterTest {

    /**
     * Queues large enough that the stalled client is not cut off as a slow consumer during the test (which would end
     * its blocked write), and small socket buffers so that its writes block after a few messages.
     */
    private static final Map<String, String> STALL_WITHOUT_CUT_OFF = Map.of(
            "dino.limits.outbound-queue-frames", "100000",
            "dino.limits.outbound-queue-bytes", "500000000",
            "server.connection-options.socket-send-buffer-size", "16384");
    private static final String BODY = "\"" + "x".repeat(16_000) + "\"";
    private static final int MESSAGES = 300;

    @Test
    void aWriteBlockedOnAClientThatDoesNotReadDoesNotHoldUpTheOthers() throws Exception {
        try (TestNode node = TestNode.start(STALL_WITHOUT_CUT_OFF);
             StalledSocket stalled = StalledSocket.open(node.port(), "/ws")) {
            stalled.sendText("{\"id\":1,\"cmd\":\"connect\",\"token\":\"" + node.token("sloth") + "\"}");
            stalled.sendText("{\"id\":2,\"cmd\":\"join\",\"room\":\"stall\"}");
            await().atMost(TIMEOUT).until(() -> node.backend().listRoomMembers(
                    ListRoomMembersRequest.newBuilder().setRoom("stall").build()).getUsersList().contains("sloth"));
            EventRecorder readerEvents = new EventRecorder();
            DinoClient reader = node.client("reader", readerEvents);
            reader.join("stall").join();

            ManagedChannel channel = node.channel();
            for (int i = 0; i < MESSAGES; i++) {
                // a stub per call: a stub's deadline runs from its creation
                TestNode.backend(channel, TestNode.API_KEY)
                        .publishToRoom(PublishToRoomRequest.newBuilder().setRoom("stall").setBodyJson(BODY).build());
            }

            // some 4.8 MB for the stalled client: its socket took a few of them, a write of the rest is blocked
            await().atMost(TIMEOUT).until(() -> readerEvents.events("message").size() == MESSAGES);
            assertThat(node.node().sessionCount()).as("the stalled client is still connected").isEqualTo(2);
        }
    }
}
