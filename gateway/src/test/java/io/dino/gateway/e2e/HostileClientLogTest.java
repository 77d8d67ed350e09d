package io.dino.gateway.e2e;

import io.dino.gateway.TestNode;
import io.dino.gateway.edge.http.BrokenClientLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.dino.gateway.TestNode.TIMEOUT;
import static io.dino.gateway.e2e.RawTcp.closedByNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that send junk or break off write at most one log line each, without a stack trace, and a burst of them
 * no more than the rate limit allows (docs/operations.md, Logs).
 */
class HostileClientLogTest {

    private static final Logger ROOT = Logger.getLogger("");
    private static final List<LogRecord> RECORDS = new CopyOnWriteArrayList<>();
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String logger = String.valueOf(record.getLoggerName());
            if (logger.startsWith("io.helidon.") || logger.startsWith("io.dino.gateway.edge.")) {
                RECORDS.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start();
        ROOT.addHandler(CAPTURE);
    }

    @AfterAll
    static void stop() {
        ROOT.removeHandler(CAPTURE);
        node.close();
    }

    @BeforeEach
    void forgetEarlierRecords() {
        RECORDS.clear();
    }

    @Test
    void junkInsteadOfHttpWritesAtMostOneLine() throws Exception {
        // the start of a TLS ClientHello sent to the plain port (no line end), and lines that are not HTTP
        for (String junk : new String[] {"\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u00fc\u0003\u0003", "garbage\r\n\r\n"}) {
            RECORDS.clear();
            sendAndHangUp(junk);
            assertAtMostLines(1);
        }
    }

    @Test
    void halfAnHttpRequestWritesAtMostOneLine() throws Exception {
        sendAndHangUp("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgr");
        assertAtMostLines(1);
    }

    @Test
    void junkFramesBeforeAuthenticationWriteAtMostOneLineEach() throws Exception {
        byte[][] junk = {
                {(byte) 0x83, (byte) 0x80, 1, 2, 3, 4},                  // reserved opcode
                {(byte) 0x81, 0x05, 'h', 'e', 'l', 'l', 'o'},           // unmasked text
                "GARBAGE GARBAGE\r\n\r\n".getBytes(),                    // not a frame at all
        };
        for (byte[] frame : junk) {
            RECORDS.clear();
            try (RawWebSocket socket = RawWebSocket.open(node.port(), "/ws", TIMEOUT)) {
                socket.write(frame);
                assertThat(socket.awaitClose().closeCode()).isBetween(1000, 4999);
            }
            assertAtMostLines(1);
        }
        // half a frame, then the socket is gone
        RECORDS.clear();
        try (Socket socket = RawTcp.open(node.port())) {
            RawWebSocket.handshake(socket, node.port(), "/ws");
            socket.getOutputStream().write(new byte[] {(byte) 0x81, (byte) 0x85, 1, 2});
            socket.shutdownOutput();
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(5)).until(() -> closedByNode(socket));
        }
        assertAtMostLines(1);
    }

    @Test
    void aBurstOfJunkConnectionsWritesNoMoreThanTheRateLimit() throws Exception {
        for (int i = 0; i < 200; i++) {
            sendAndHangUp(i % 2 == 0 ? "junk\r\n" : "GET / HTTP/1.1\r\nHo");
        }
        // two kinds of event (closed before and in the middle of a request head), both "closed-early"
        assertAtMostLines(BrokenClientLog.LINES_PER_WINDOW);
    }

    /** Sends {@code text}, ends the sending side and waits until the node has closed the connection. */
    private static void sendAndHangUp(String text) throws Exception {
        try (Socket socket = RawTcp.open(node.port())) {
            RawTcp.send(socket, text);
            socket.shutdownOutput();
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(5)).until(() -> closedByNode(socket));
        }
    }

    /** The node logs before it closes a connection, so everything about the ones above has been recorded. */
    private static void assertAtMostLines(int lines) {
        assertThat(RECORDS).as("log records").allSatisfy(record -> assertThat(record.getThrown())
                .as("stack trace of %s: %s", record.getLoggerName(), record.getMessage()).isNull());
        assertThat(RECORDS).as("log records").hasSizeLessThanOrEqualTo(lines);
    }
}
