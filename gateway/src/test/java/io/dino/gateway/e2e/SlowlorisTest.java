package io.dino.gateway.e2e;

import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.dino.gateway.e2e.RawTcp.closedByNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * dino.limits.handshake-timeout: a connection that does not send a complete request head in time is closed, however
 * slowly it trickles; a connection that did (WebSocket, keep-alive HTTP) is not cut by it.
 */
class SlowlorisTest {

    private static final Duration BOUND = Duration.ofSeconds(1);
    /** How long the node may take beyond the bound to close (timer and scheduling). */
    private static final Duration SLACK = Duration.ofSeconds(3);
    private static final String UPGRADE_HEAD = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    private static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start(Map.of("dino.limits.handshake-timeout", "PT1S"));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheHandshakeTimeout() throws Exception {
        double before = NodeMetrics.value(node, "dino_handshake_timeouts_total", "");
        long start = System.nanoTime();
        try (Socket socket = RawTcp.open(node.port())) {
            await().atMost(BOUND.plus(SLACK)).until(() -> closedByNode(socket));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(BOUND);
        }
        await().atMost(SLACK).until(() -> NodeMetrics.value(node, "dino_handshake_timeouts_total", "") > before);
    }

    @Test
    void aConnectionThatSendsAFewBytesAndStopsIsClosedAfterTheHandshakeTimeout() throws Exception {
        long start = System.nanoTime();
        try (Socket socket = RawTcp.open(node.port())) {
            RawTcp.send(socket, "hello");
            await().atMost(BOUND.plus(SLACK)).until(() -> closedByNode(socket));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(BOUND);
        }
    }

    @Test
    void anUpgradeRequestSentAByteAtATimeIsClosedAfterTheHandshakeTimeout() throws Exception {
        byte[] head = UPGRADE_HEAD.getBytes(StandardCharsets.US_ASCII);
        AtomicInteger sent = new AtomicInteger();
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime();
        try (Socket socket = RawTcp.open(node.port())) {
            // one byte every 50 ms: the whole head would take several seconds, each byte well within any read timeout
            trickle.scheduleAtFixedRate(() -> {
                int next = sent.get();
                if (next < head.length) {
                    try {
                        socket.getOutputStream().write(head[next]);
                        sent.incrementAndGet();
                    } catch (IOException closed) {
                        trickle.shutdown();
                    }
                }
            }, 0, 50, TimeUnit.MILLISECONDS);
            await().atMost(BOUND.plus(SLACK)).until(() -> closedByNode(socket));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(BOUND);
            assertThat(sent.get()).as("bytes of the head sent before the node closed").isBetween(1, head.length - 1);
        } finally {
            trickle.shutdownNow();
        }
    }

    @Test
    void anAuthenticatedIdleWebSocketOutlivesTheHandshakeTimeout() {
        EventRecorder events = new EventRecorder();
        DinoClient client = node.client("idle", events);
        await().during(BOUND.multipliedBy(3)).atMost(BOUND.multipliedBy(4)).until(client::isOpen);
        client.join("still-here").join();   // and it still works
    }

    @Test
    void aKeepAliveHttpConnectionOutlivesTheHandshakeTimeout() throws Exception {
        try (Socket socket = RawTcp.open(node.port())) {
            String request = "GET /observe/health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
            RawTcp.send(socket, request);
            assertThat(responseHead(socket)).startsWith("HTTP/1.1 200");
            await().during(BOUND.multipliedBy(3)).atMost(BOUND.multipliedBy(4)).until(() -> !closedByNode(socket));
            RawTcp.send(socket, request);
            assertThat(responseHead(socket)).startsWith("HTTP/1.1 200");
        }
    }

    /** Reads a response head and skips its body (Content-Length). */
    private static String responseHead(Socket socket) throws IOException {
        socket.setSoTimeout((int) TestNode.TIMEOUT.toMillis());
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                throw new IOException("closed after " + head);
            }
            head.append((char) next);
        }
        String lower = head.toString().toLowerCase(java.util.Locale.ROOT);
        int at = lower.indexOf("content-length:");
        int length = at < 0 ? 0 : Integer.parseInt(lower.substring(at + 15, lower.indexOf('\r', at)).trim());
        in.readNBytes(length);
        return head.toString();
    }
}
