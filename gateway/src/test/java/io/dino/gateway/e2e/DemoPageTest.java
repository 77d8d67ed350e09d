package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dino.gateway.DinoNode;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The demo chat page ({@code dino.demo.enabled}) and its development token endpoint ({@code dino.dev-mode}): what
 * a node serves with each combination, and that the endpoint's tokens open sessions.
 */
class DemoPageTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OnADevelopmentNode {

        private TestNode node;

        @BeforeAll
        void start() {
            node = TestNode.start(Map.of("dino.demo.enabled", "true", "dino.dev-mode", "true",
                    "dino.auth.token-ttl", "PT10M"));
        }

        @AfterAll
        void stop() {
            node.close();
        }

        @Test
        void thePageItsScriptsAndTheSdkAreServedWithTheirContentTypes() throws Exception {
            HttpResponse<String> page = get(node, "/demo/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(contentType(page)).startsWith("text/html");
            assertThat(page.body()).contains("data-testid=\"login-form\"").contains("src=\"app.js\"");

            HttpResponse<String> app = get(node, "/demo/app.js");
            assertThat(app.statusCode()).isEqualTo(200);
            assertThat(contentType(app)).matches("(text|application)/javascript.*");
            assertThat(app.body()).contains("from './sdk/dino.js'");

            HttpResponse<String> css = get(node, "/demo/style.css");
            assertThat(css.statusCode()).isEqualTo(200);
            assertThat(contentType(css)).startsWith("text/css");

            HttpResponse<String> sdk = get(node, "/demo/sdk/dino.js");
            assertThat(sdk.statusCode()).as("the SDK's entry module, copied from clients/js/src").isEqualTo(200);
            assertThat(contentType(sdk)).matches("(text|application)/javascript.*");
            assertThat(sdk.body()).contains("DinoClient");

            assertThat(get(node, "/demo/no-such-file.js").statusCode()).isEqualTo(404);
            assertThat(get(node, "/demo/../dino-demo/index.html").statusCode()).isNotEqualTo(200);
        }

        @Test
        void theRootAndThePathWithoutSlashLeadToThePage() throws Exception {
            HttpResponse<String> root = get(node, "/");
            assertThat(root.statusCode()).isEqualTo(302);
            assertThat(root.headers().firstValue("Location")).hasValue("/demo/");
            HttpResponse<Void> head = HTTP.send(HttpRequest.newBuilder(node.httpUri("/"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(head.statusCode()).isEqualTo(302);
            HttpResponse<String> bare = get(node, "/demo");
            assertThat(bare.statusCode()).isBetween(301, 308);
            assertThat(bare.headers().firstValue("Location")).get().asString().endsWith("/demo/");
        }

        @Test
        void theSettingsNameTheWebSocketPathAndSayTokensAreHandedOut() throws Exception {
            HttpResponse<String> settings = get(node, "/demo/settings.json");
            assertThat(settings.statusCode()).isEqualTo(200);
            JsonNode json = JSON.readTree(settings.body());
            assertThat(json.get("wsPath").asText()).isEqualTo("/ws");
            assertThat(json.get("tokenEndpoint").asText()).isEqualTo("/demo/token");
            assertThat(json.get("devTokens").asBoolean()).isTrue();
        }

        @Test
        void aMintedTokenOpensASessionForTheUser() throws Exception {
            HttpResponse<String> reply = postToken(node, "{\"user\":\"alice\"}");
            assertThat(reply.statusCode()).isEqualTo(200);
            assertThat(reply.headers().firstValue("Cache-Control")).hasValue("no-store");
            JsonNode minted = JSON.readTree(reply.body());
            assertThat(Instant.ofEpochMilli(minted.get("expiresAt").asLong()))
                    .isCloseTo(Instant.now().plus(Duration.ofMinutes(10)), within(Duration.ofSeconds(30)));
            try (TextWebSocket socket = TextWebSocket.open(node.wsUri(), Map.of(), TIMEOUT).join()) {
                socket.send("{\"id\":1,\"cmd\":\"connect\",\"token\":\"" + minted.get("token").asText() + "\"}");
                JsonNode connected = JSON.readTree(socket.next(TIMEOUT));
                assertThat(connected.at("/result/user").asText()).isEqualTo("alice");
                assertThat(connected.at("/result/expiresAt").asLong()).isEqualTo(minted.get("expiresAt").asLong());
            }
        }

        @Test
        void aShorterLifetimeMayBeAskedForButNotALongerOne() throws Exception {
            JsonNode minted = JSON.readTree(postToken(node, "{\"user\":\"bob\",\"ttl\":5}").body());
            assertThat(Instant.ofEpochMilli(minted.get("expiresAt").asLong()))
                    .isCloseTo(Instant.now().plusSeconds(5), within(Duration.ofSeconds(3)));
            assertError(postToken(node, "{\"user\":\"bob\",\"ttl\":601}"), 400, 4003, "INVALID_VALUE",
                    "'ttl' must be a whole number of seconds from 1 to 600 (dino.auth.token-ttl)");
            assertError(postToken(node, "{\"user\":\"bob\",\"ttl\":0}"), 400, 4003, "INVALID_VALUE", "'ttl' must be");
            assertError(postToken(node, "{\"user\":\"bob\",\"ttl\":\"5\"}"), 400, 4003, "INVALID_VALUE", "'ttl' must be");
        }

        @Test
        void aNameTheProtocolRefusesIsA400WithTheProtocolsError() throws Exception {
            assertError(postToken(node, "{\"user\":\"system\"}"), 400, 4003, "INVALID_VALUE",
                    "user id 'system' is reserved for messages from the backend");
            assertError(postToken(node, "{\"user\":\"\"}"), 400, 4003, "INVALID_VALUE",
                    "user id must be 1-128 characters without control characters");
            assertError(postToken(node, "{\"user\":\"tab\\there\"}"), 400, 4003, "INVALID_VALUE",
                    "user id must be 1-128 characters without control characters");
            assertError(postToken(node, "{\"user\":\"" + "x".repeat(129) + "\"}"), 400, 4003, "INVALID_VALUE",
                    "user id must be 1-128");
            assertError(postToken(node, "{\"user\":42}"), 400, 4003, "INVALID_VALUE", "'user' must be a string");
            assertError(postToken(node, "{}"), 400, 4002, "MISSING_FIELD", "'user' is required");
            assertError(postToken(node, "not json"), 400, 4000, "MALFORMED_FRAME", "the request body");
            assertError(postToken(node, "[\"alice\"]"), 400, 4000, "MALFORMED_FRAME", "must be a JSON object");
            assertError(postToken(node, "{\"user\":\"" + "x".repeat(5000) + "\"}"), 400, 4004, "FRAME_TOO_LARGE",
                    "larger than 4096 bytes");
        }
    }

    @Test
    void aNodeWhoseTokenEndpointIsLiveWarnsAtStartAndOneWithoutDevModeDoesNot() {
        assertThat(warningsAtStart(Map.of("dino.demo.enabled", "true", "dino.dev-mode", "true")))
                .anySatisfy(message -> assertThat(message).contains("/demo/token").contains("unsafe for production"));
        assertThat(warningsAtStart(Map.of("dino.demo.enabled", "true")))
                .noneSatisfy(message -> assertThat(message).contains("/demo/token"));
        assertThat(warningsAtStart(Map.of("dino.dev-mode", "true")))
                .noneSatisfy(message -> assertThat(message).contains("/demo/token"));
    }

    private static List<String> warningsAtStart(Map<String, String> overrides) {
        Logger logger = Logger.getLogger(DinoNode.class.getName());
        List<String> warnings = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(new SimpleFormatter().formatMessage(record));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try (TestNode ignored = TestNode.start(overrides)) {
            return List.copyOf(warnings);
        } finally {
            logger.removeHandler(capture);
        }
    }

    @Test
    void withoutDevModeThePageIsServedButTheTokenEndpointRefuses() throws Exception {
        try (TestNode node = TestNode.start(Map.of("dino.demo.enabled", "true"))) {
            assertThat(get(node, "/demo/").statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(get(node, "/demo/settings.json").body()).get("devTokens").asBoolean()).isFalse();
            HttpResponse<String> refused = postToken(node, "{\"user\":\"alice\"}");
            assertError(refused, 403, 4030, "NOT_ALLOWED", "only on a development node (dino.dev-mode: true");
            assertThat(refused.body()).doesNotContain("token\":");
        }
    }

    @Test
    void byDefaultThereIsNoPageNoRedirectAndNoTokenEndpoint() throws Exception {
        try (TestNode node = TestNode.start(Map.of("dino.dev-mode", "true"))) {
            assertThat(get(node, "/demo/").statusCode()).isEqualTo(404);
            assertThat(get(node, "/demo/app.js").statusCode()).isEqualTo(404);
            assertThat(get(node, "/demo/sdk/dino.js").statusCode()).isEqualTo(404);
            assertThat(get(node, "/demo/settings.json").statusCode()).isEqualTo(404);
            assertThat(get(node, "/").statusCode()).isEqualTo(404);
            assertThat(postToken(node, "{\"user\":\"alice\"}").statusCode()).isEqualTo(404);
            assertThat(node.node().demoUrl()).isEmpty();
        }
    }

    private static HttpResponse<String> get(TestNode node, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> postToken(TestNode node, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(node.httpUri("/demo/token"))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String contentType(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    private static void assertError(HttpResponse<String> response, int status, int code, String name, String message)
            throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(contentType(response)).startsWith("application/json");
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("code").asInt()).isEqualTo(code);
        assertThat(error.get("name").asText()).isEqualTo(name);
        assertThat(error.get("message").asText()).contains(message);
    }
}
