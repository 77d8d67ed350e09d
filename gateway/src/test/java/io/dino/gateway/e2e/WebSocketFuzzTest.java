package io.dino.gateway.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue #7: random frames over real WebSockets to a real node, while a healthy session keeps chatting. Each try
 * sends one case on a shared raw connection (reconnecting after the server closed it) and checks the outcome its
 * kind allows; afterwards the healthy session must have received its own messages in order and the node must be
 * ready with no INTERNAL error counted. Frame payloads and the text generators live in {@link FuzzCases}.
 * <p>
 * All cases come from one generator seeded per run; every failure names the seed, and
 * {@code -Ddino.fuzz.seed=<seed>} replays the same cases in the same order (the earlier ones shape the node's state).
 */
class WebSocketFuzzTest {

    static final int MAX_FRAME_BYTES = 8192;
    private static final int TRIES = 10_000;
    private static final String SEED_PROPERTY = "dino.fuzz.seed";
    /** Enough of a failing case's bytes to recognise it; the seed replays all of them. */
    private static final int MAX_HEX_BYTES = 256;
    private static final String HEALTHY_ROOM = "healthy-room";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestNode node;
    private static String fuzzToken;
    private static RawWebSocket fuzz;
    private static long syncs;
    private static DinoClient healthy;
    private static EventRecorder healthyEvents;
    private static final List<String> healthySent = new ArrayList<>();

    @BeforeAll
    static void start() {
        node = TestNode.start(Map.of(
                "dino.limits.max-frame-bytes", Integer.toString(MAX_FRAME_BYTES),
                "dino.limits.max-message-bytes", "512",
                "dino.limits.max-rooms-per-session", "5"));
        fuzzToken = node.token("fuzzer");
        healthyEvents = new EventRecorder();
        healthy = node.client("healthy", healthyEvents);
        healthy.join(HEALTHY_ROOM).join();
    }

    @AfterAll
    static void stop() throws IOException {
        if (fuzz != null) {
            fuzz.close();
        }
        node.close();
    }

    @Test
    void noFrameDisturbsTheNodeOrOtherSessions() {
        long seed = Long.getLong(SEED_PROPERTY, System.nanoTime());
        String replay = "seed " + seed + " (replay with -D" + SEED_PROPERTY + "=" + seed + ")";
        // printed first as well, in case the run hangs or the JVM dies before any failure message
        System.out.println("WebSocketFuzzTest: " + replay);
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Integer> kinds = new TreeMap<>();
        for (int index = 0; index < TRIES; index++) {
            FuzzCase fuzzCase = FuzzCases.next(random);
            kinds.merge(fuzzCase.kind(), 1, Integer::sum);
            try {
                tryCase(index, fuzzCase);
            } catch (Exception | AssertionError e) {
                throw new AssertionError("case " + index + " failed, " + replay + ": " + fuzzCase
                        + "\nframes sent: " + fuzzCase.hex(MAX_HEX_BYTES), e);
            }
        }
        System.out.println("WebSocketFuzzTest: " + TRIES + " cases, " + replay + ", by kind: " + kinds);
        try {
            theHealthySessionAndTheNodeAreUnaffected();
        } catch (Exception | AssertionError e) {
            throw new AssertionError("after " + TRIES + " cases, " + replay, e);
        }
    }

    private void tryCase(int index, FuzzCase fuzzCase) throws IOException {
        // first, so that the healthy session has spoken even if the first case fails
        if (index % 10 == 0) {
            String body = "h-" + healthySent.size();
            healthy.send(HEALTHY_ROOM, body).join();
            healthySent.add(body);
        }
        Outcome outcome = send(fuzzCase);
        assertThat(fuzzCase.allows(outcome)).as("%s after %s", outcome, fuzzCase).isTrue();
        if (outcome.closed()) {
            fuzz.close();
            fuzz = null;
        }
    }

    private void theHealthySessionAndTheNodeAreUnaffected() throws Exception {
        List<JsonNode> own = healthyEvents.awaitCount(e -> e.at("/msg/from").asText().equals("healthy"),
                healthySent.size(), TIMEOUT);
        assertThat(own).extracting(e -> e.at("/msg/body").asText()).containsExactlyElementsOf(healthySent);
        assertThat(healthy.ping().join().has("ts")).isTrue();
        assertThat(get("/observe/health/ready")).contains("UP");
        assertThat(Metrics.scrape(node)).doesNotContainPattern("dino_errors_total\\{[^}]*code=\"INTERNAL\"[^}]*} [1-9]");
        // no session left behind by a closed socket: the healthy one and the fuzzer's last one
        await().atMost(TIMEOUT).until(() -> Metrics.connections(node), open -> open <= 2);
    }

    /** Sends the case, then (if it may leave the socket open) a ping whose reply proves the socket still works. */
    private static Outcome send(FuzzCase fuzzCase) throws IOException {
        if (fuzz == null) {
            fuzz = RawWebSocket.open(node.port(), "/ws", TIMEOUT);
            fuzz.sendText("{\"id\":\"hello\",\"cmd\":\"connect\",\"token\":\"" + fuzzToken + "\"}");
            assertThat(awaitSync("hello")).isEqualTo(Outcome.OPEN);
        }
        String sync = "sync-" + ++syncs;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        fuzzCase.frames().forEach(bytes::writeBytes);
        if (fuzzCase.mayStayOpen()) {
            // only then: unread bytes left behind a refused frame make the server's close a reset
            bytes.writeBytes(RawWebSocket.frame(0x81, ("{\"id\":\"" + sync + "\",\"cmd\":\"ping\"}")
                    .getBytes(StandardCharsets.UTF_8)));
        }
        try {
            fuzz.write(bytes.toByteArray());
        } catch (SocketException e) {
            return Outcome.RESET;
        }
        return awaitSync(sync);
    }

    /** Reads until the reply to {@code id} or the end of the socket; no frame may carry an INTERNAL error. */
    private static Outcome awaitSync(String id) throws IOException {
        while (true) {
            RawWebSocket.Frame frame;
            try {
                frame = fuzz.read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no reply to " + id + " within " + TIMEOUT, e);
            } catch (IOException e) {
                return Outcome.RESET;
            }
            if (frame.opCode() == RawWebSocket.CLOSE) {
                return Outcome.closedWith(frame.closeCode());
            }
            if (frame.opCode() == RawWebSocket.TEXT) {
                JsonNode json = parse(frame.text());
                assertThat(json.at("/error/name").asText()).as(frame.text()).isNotEqualTo("INTERNAL");
                if (json.path("id").asText().equals(id)) {
                    return Outcome.OPEN;
                }
            }
        }
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("the server sent a frame that is not JSON: " + text, e);
        }
    }

    private static String get(String path) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(node.httpUri(path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            return response.body();
        }
    }

    /** How the socket was after a case: still answering, closed with a code, or reset. */
    record Outcome(boolean closed, int code) {
        static final Outcome OPEN = new Outcome(false, 0);
        /** Closed without a readable close frame: the server closed with bytes of ours unread. */
        static final Outcome RESET = new Outcome(true, 0);

        static Outcome closedWith(int code) {
            return new Outcome(true, code);
        }
    }

    /**
     * One generated case: the wire bytes of its frames and the outcomes allowed. An empty {@code closeCodes} with
     * {@code mayStayOpen} means the socket must stay open.
     */
    record FuzzCase(String kind, String description, List<byte[]> frames, boolean mayStayOpen, Set<Integer> closeCodes,
                    boolean mayReset) {

        boolean allows(Outcome outcome) {
            if (!outcome.closed()) {
                return mayStayOpen;
            }
            return outcome.equals(Outcome.RESET) ? mayReset : closeCodes.contains(outcome.code());
        }

        /** The frames as sent, masked, in hex; cut after {@code maxBytes}. */
        String hex(int maxBytes) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            frames.forEach(bytes::writeBytes);
            byte[] all = bytes.toByteArray();
            String hex = HexFormat.of().formatHex(all, 0, Math.min(all.length, maxBytes));
            return all.length <= maxBytes ? hex : hex + "… (" + all.length + " bytes)";
        }

        /** Kind and description, the latter cut: a payload's hex may run to kilobytes. */
        @Override
        public String toString() {
            return kind + ": " + (description.length() <= 600 ? description : description.substring(0, 600) + "…");
        }
    }
}
