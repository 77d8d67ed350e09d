package io.dino.gateway.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs every {@code exchange} block of docs/protocol.md against a fresh node: {@code user> frame} is
 * sent by that user, {@code user< frame} must be the user's next reply (if it has an {@code id}) or
 * next event. Values that differ per run (times, ids, epochs) must only have the same type; a generated room id
 * ({@code r-} and 26 characters) matches any generated room id.
 * {@code <token:USER>} in a frame is a valid token for USER ({@code <token:expired:USER>},
 * {@code <token:forged:USER>} are not); {@code <token:USER?age=30&roles=a,b>} adds the {@code attrs}
 * claim (each {@code name=value} but {@code roles}) and the {@code roles} claim. A line
 * {@code backend> SetRoomAcl {"room": ..., "rules": {...}}} is a backend call made at that point (it must succeed):
 * any RPC of the Backend, Roles, Rooms, Moderation or Tokens service, its request in the proto3 JSON form. A
 * {@code messageId} (a message id inside a body, such as an admin room post's) varies like an {@code id}.
 * {@code <msg:N>} stands for the N-th message id (from 1) the exchange has seen, in the order they first appeared in
 * what the peers received (the frame being checked included): in a sent frame it is replaced by that id, in an
 * expected one it must be it. Lines {@code config> dino.some.key=value} anywhere in a block configure the node the
 * block runs against.
 */
class ProtocolExamplesTest {

    private static final Pattern BLOCK = Pattern.compile("```exchange\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern LINE = Pattern.compile("^([a-z][a-z0-9_-]*)([<>]) ?(.*)$");
    private static final Pattern TOKEN = Pattern.compile("<token:(?:(expired|forged|operator):)?([a-z0-9_-]+)(?:\\?([^>]*))?>");
    private static final Pattern CONFIG = Pattern.compile("(?m)^config> ([a-z][a-z0-9.-]*)=(.*)$");
    private static final Pattern BACKEND = Pattern.compile("^backend> ([A-Z][A-Za-z]+) (\\{.*})$");
    private static final Set<String> VARYING = Set.of("ts", "session", "node", "epoch", "expiresAt", "lastOnline",
            "messageId", "until", "at", "retryAfterMs");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A room id the server generated ({@code r-} and an id): any such id matches. */
    private static final Pattern GENERATED_ROOM = Pattern.compile("r-[0-9A-HJKMNP-TV-Z]{26}");
    /** A message id: 26 characters of Crockford base32. */
    private static final Pattern MESSAGE_ID = Pattern.compile("[0-9A-HJKMNP-TV-Z]{26}");
    private static final Pattern MESSAGE_PLACEHOLDER = Pattern.compile("<msg:(\\d+)>");
    /** The message ids the running exchange has seen, in order ({@code <msg:N>} is the N-th); one exchange runs at a time. */
    private static final List<String> MESSAGE_IDS = new ArrayList<>();

    @TestFactory
    List<DynamicTest> everyDocumentedExchangeHappensAsWritten() throws Exception {
        String protocol = Files.readString(DocsTest.DOCS.resolve("protocol.md"));
        Matcher blocks = BLOCK.matcher(protocol);
        List<DynamicTest> tests = new ArrayList<>();
        while (blocks.find()) {
            String block = blocks.group(1);
            int line = protocol.substring(0, blocks.start()).split("\n", -1).length;
            tests.add(DynamicTest.dynamicTest("protocol.md line " + line, () -> run(block)));
        }
        assertThat(tests).as("exchange blocks in docs/protocol.md").hasSizeGreaterThanOrEqualTo(8);
        return tests;
    }

    private static void run(String block) throws Exception {
        MESSAGE_IDS.clear();
        // config> lines: settings of the node the block runs against (e.g. config> dino.limits.rate.sends.burst=1)
        Map<String, String> settings = new LinkedHashMap<>();
        Matcher configLines = CONFIG.matcher(block);
        while (configLines.find()) {
            settings.put(configLines.group(1), configLines.group(2).strip());
        }
        try (TestNode node = TestNode.start(settings)) {
            Map<String, Peer> peers = new LinkedHashMap<>();
            for (String raw : block.split("\n")) {
                String text = raw.strip();
                if (text.isEmpty() || CONFIG.matcher(text).matches()) {
                    continue;
                }
                Matcher call = BACKEND.matcher(text);
                if (call.matches()) {
                    backendCall(node, call.group(1), call.group(2));
                    continue;
                }
                Matcher line = LINE.matcher(text);
                if (!line.matches()) {
                    fail("not an exchange line: " + text);
                }
                Peer peer = peers.computeIfAbsent(line.group(1), user -> {
                    EventRecorder events = new EventRecorder();
                    return new Peer(node.rawClient(events), events);
                });
                String frame = line.group(3);
                if (line.group(2).equals(">")) {
                    peer.client.sendRaw(withMessageIds(withTokens(frame))).join();
                } else {
                    JsonNode expected = JSON.readTree(frame);
                    JsonNode actual = expected.has("event") ? peer.nextEvent() : peer.client.awaitUnmatchedReply(TIMEOUT);
                    recordMessageIds(actual, "");
                    assertMatches(expected, actual, "", text);
                }
            }
        }
    }

    /** Calls the RPC named so on the Backend, Roles or Rooms stub, its request parsed from proto3 JSON. */
    private static void backendCall(TestNode node, String rpc, String json) throws Exception {
        String method = Character.toLowerCase(rpc.charAt(0)) + rpc.substring(1);
        for (Object stub : List.of(node.backend(), io.dino.gateway.e2e.RolesApiTestSupport.roles(node),
                io.dino.gateway.e2e.RolesApiTestSupport.rooms(node), moderation(node),
                io.dino.gateway.e2e.TokenRevocationTestSupport.tokens(node))) {
            for (java.lang.reflect.Method candidate : stub.getClass().getMethods()) {
                if (candidate.getName().equals(method) && candidate.getParameterCount() == 1
                        && com.google.protobuf.Message.class.isAssignableFrom(candidate.getParameterTypes()[0])) {
                    com.google.protobuf.Message.Builder request = (com.google.protobuf.Message.Builder)
                            candidate.getParameterTypes()[0].getMethod("newBuilder").invoke(null);
                    com.google.protobuf.util.JsonFormat.parser().merge(json, request);
                    candidate.invoke(stub, request.build());
                    return;
                }
            }
        }
        fail("no backend RPC " + rpc);
    }

    /** Appends the message ids (any {@code id} below the top level that looks like one) not seen before. */
    private static void recordMessageIds(JsonNode node, String path) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                JsonNode value = field.getValue();
                if (field.getKey().equals("id") && !path.isEmpty() && value.isTextual()
                        && MESSAGE_ID.matcher(value.asText()).matches() && !MESSAGE_IDS.contains(value.asText())) {
                    MESSAGE_IDS.add(value.asText());
                }
                recordMessageIds(value, path + "/" + field.getKey());
            });
        } else if (node.isArray()) {
            node.forEach(element -> recordMessageIds(element, path + "/"));
        }
    }

    private static String withMessageIds(String frame) {
        return MESSAGE_PLACEHOLDER.matcher(frame).replaceAll(match -> messageId(match.group(1)));
    }

    private static String messageId(String number) {
        int n = Integer.parseInt(number);
        assertThat(n).as("<msg:" + n + ">: the exchange has seen " + MESSAGE_IDS.size() + " message ids").isBetween(1, MESSAGE_IDS.size());
        return MESSAGE_IDS.get(n - 1);
    }

    /**
    /** A Moderation stub on a test node that sends the test API key. */
    private static io.dino.api.v1.ModerationGrpc.ModerationBlockingStub moderation(TestNode node) {
        io.grpc.Metadata headers = new io.grpc.Metadata();
        headers.put(io.grpc.Metadata.Key.of("x-api-key", io.grpc.Metadata.ASCII_STRING_MARSHALLER), TestNode.API_KEY);
        return io.dino.api.v1.ModerationGrpc.newBlockingStub(node.channel())
                .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(TestNode.TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    }

    private static String withTokens(String frame) throws Exception {
        Matcher tokens = TOKEN.matcher(frame);
        StringBuilder result = new StringBuilder();
        while (tokens.find()) {
            String kind = tokens.group(1);
            Instant expires = "expired".equals(kind) ? Instant.now().minusSeconds(60) : Instant.now().plusSeconds(3600);
            String secret = "forged".equals(kind) ? "not-the-secret-not-the-secret-not-the-secret" : TestNode.SECRET;
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(tokens.group(2)).expirationTime(Date.from(expires));
            if ("operator".equals(kind)) {
                claims.claim("roles", List.of("globalmod"));  // an operator: <token:operator:NAME>
            }
            if (tokens.group(3) != null) {
                Map<String, Object> attrs = new LinkedHashMap<>();
                for (String pair : tokens.group(3).split("&")) {
                    String[] nameValue = pair.split("=", 2);
                    if (nameValue[0].equals("roles")) {
                        claims.claim("roles", List.of(nameValue[1].split(",")));
                    } else {
                        attrs.put(nameValue[0], nameValue[1]);
                    }
                }
                if (!attrs.isEmpty()) {
                    claims.claim("attrs", attrs);
                }
            }
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            tokens.appendReplacement(result, jwt.serialize());
        }
        tokens.appendTail(result);
        return result.toString();
    }

    private static void assertMatches(JsonNode expected, JsonNode actual, String path, String line) {
        String where = "'" + line + "' at " + (path.isEmpty() ? "/" : path) + ", got " + actual;
        assertThat(actual.getNodeType()).as(where).isEqualTo(expected.getNodeType());
        String key = path.substring(path.lastIndexOf('/') + 1);
        // message ids: the "id" of anything but the reply, and the "ids" a receipt event lists
        boolean varying = VARYING.contains(key) || (key.equals("id") && path.lastIndexOf('/') > 0) || path.contains("/ids/");
        if (expected.isObject()) {
            assertThat(names(actual)).as(where).containsExactlyInAnyOrderElementsOf(names(expected));
            expected.fields().forEachRemaining(field ->
                    assertMatches(field.getValue(), actual.get(field.getKey()), path + "/" + field.getKey(), line));
        } else if (expected.isArray()) {
            assertThat(actual.size()).as(where).isEqualTo(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                assertMatches(expected.get(i), actual.get(i), path + "/" + i, line);
            }
        } else if (expected.isTextual() && MESSAGE_PLACEHOLDER.matcher(expected.asText()).matches()) {
            Matcher placeholder = MESSAGE_PLACEHOLDER.matcher(expected.asText());
            placeholder.matches();
            assertThat(actual.asText()).as(where).isEqualTo(messageId(placeholder.group(1)));
        } else if (expected.isTextual() && GENERATED_ROOM.matcher(expected.asText()).matches()) {
            assertThat(actual.asText()).as(where).matches(GENERATED_ROOM);
        } else if (!varying) {
            assertThat(actual).as(where).isEqualTo(expected);
        }
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        Iterator<String> iterator = node.fieldNames();
        iterator.forEachRemaining(names::add);
        return names;
    }

    /** One user's socket and how many of its events the block has already matched. */
    private static final class Peer {
        private final DinoClient client;
        private final EventRecorder events;
        private int matchedEvents;

        private Peer(DinoClient client, EventRecorder events) {
            this.client = client;
            this.events = events;
        }

        JsonNode nextEvent() throws Exception {
            int index = matchedEvents++;
            return events.awaitCount(event -> true, index + 1, TIMEOUT).get(index);
        }
    }
}
