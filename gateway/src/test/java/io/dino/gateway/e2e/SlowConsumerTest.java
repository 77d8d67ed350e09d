package io.dino.gateway.e2e;

import io.dino.api.v1.ListRoomMembersRequest;
import io.dino.api.v1.PublishToRoomRequest;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A client that stops reading is disconnected; it neither grows the node's memory nor slows others. */
class SlowConsumerTest {

    /**
     * A small queue, and small socket send buffers so that little is in flight when a client stalls: the
     * stall shows after a few publications, and what a stalled client reads later is quickly read.
     */
    private static final Map<String, String> SMALL_BUFFERS = Map.of(
            "dino.limits.outbound-queue-frames", "16",
            "server.connection-options.socket-send-buffer-size", "16384");
    private static final String BODY = "\"" + "x".repeat(16_000) + "\"";
    private static final int CLOSE = 0x8;
    private static final int TEXT = 0x1;

    @Test
    void aClientThatStopsReadingIsDisconnectedWhileOthersGetEverything() throws Exception {
        try (TestNode node = TestNode.start(SMALL_BUFFERS)) {
            StalledSocket stalled = joinedStalledSocket(node, true);
            EventRecorder readerEvents = new EventRecorder();
            DinoClient reader = node.client("reader", readerEvents);
            reader.join("firehose").join();

            int published = 0;
            var backend = node.backend();
            while (node.node().sessionCount() > 1 && published < 3000) {
                backend.publishToRoom(PublishToRoomRequest.newBuilder().setRoom("firehose").setBodyJson(BODY).build());
                published++;
                // the reader's queue has the same small limit: keep it within a few frames of the publisher, so on a
                // busy machine it is the stalled client that falls behind, never the reader
                int sent = published;
                await().atMost(TIMEOUT).until(() -> readerEvents.events("message").size() >= sent - 4);
            }

            assertThat(node.node().sessionCount()).as("the stalled session was dropped").isEqualTo(1);
            int total = published;
            await().atMost(TIMEOUT).until(() -> readerEvents.events("message").size() == total);
            assertThat(reader.ping().join().has("ts")).isTrue();

            // reading only now, after the grace period: the frames that were in flight, then the end of the
            // connection (a read timing out fails the test); a close frame, if one went out before the cut, is 4080
            List<Integer> closeCodes = new ArrayList<>();
            StalledSocket.Frame frame;
            while ((frame = stalled.readFrame(TIMEOUT)) != null) {
                if (frame.opcode() == CLOSE) {
                    closeCodes.add(frame.closeCode());
                }
            }
            assertThat(closeCodes).as("close codes received").allMatch(code -> code == 4080);
            stalled.close();
        }
    }

    @Test
    void aClientThatFellBehindGetsTheDisconnectEventAndCloseCode4080WhenItReadsWithinTheGrace() throws Exception {
        try (TestNode node = TestNode.start(SMALL_BUFFERS)) {
            // it must read fast once it reads again: what is in flight must reach it within the one second grace
            StalledSocket stalled = joinedStalledSocket(node, false);

            var backend = node.backend();
            int published = 0;
            while (NodeMetrics.value(node, "dino_errors_total", "code=\"SLOW_CONSUMER\"") == 0 && published < 3000) {
                backend.publishToRoom(PublishToRoomRequest.newBuilder().setRoom("firehose").setBodyJson(BODY).build());
                published++;
            }

            String lastText = null;
            StalledSocket.Frame frame;
            while ((frame = stalled.readFrame(TIMEOUT)) != null && frame.opcode() != CLOSE) {
                if (frame.opcode() == TEXT) {
                    lastText = new String(frame.payload(), StandardCharsets.UTF_8);
                }
            }
            assertThat(frame).as("a close frame").isNotNull();
            assertThat(frame.closeCode()).isEqualTo(4080);
            assertThat(lastText).contains("\"event\":\"disconnect\"").contains("\"code\":4080");
            stalled.close();
        }
    }

    /** A raw socket in room "firehose" that reads nothing until told to. */
    private static StalledSocket joinedStalledSocket(TestNode node, boolean smallReceiveBuffer) throws IOException {
        StalledSocket stalled = StalledSocket.open(node.port(), "/ws", smallReceiveBuffer);
        stalled.sendText("{\"id\":1,\"cmd\":\"connect\",\"token\":\"" + node.token("sloth") + "\"}");
        stalled.sendText("{\"id\":2,\"cmd\":\"join\",\"room\":\"firehose\"}");
        await().atMost(TIMEOUT).until(() -> node.backend().listRoomMembers(
                ListRoomMembersRequest.newBuilder().setRoom("firehose").build()).getUsersList().contains("sloth"));
        return stalled;
    }
}
