package io.dino.gateway.docs;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.api.v1.PublishToRoomRequest;
import io.dino.gateway.TestNode;
import io.dino.gateway.config.ConfigLoader;
import io.dino.gateway.config.GatewayConfig;
import io.dino.gateway.core.ErrorCode;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The docs say what the code does: their examples run, and their reference tables (configuration keys, error
 * codes, meters) match the code both ways.
 */
class DocsTest {

    static final Path DOCS = Path.of("..", "docs");
    private static final String SECRET = "docs-test-secret-docs-test-secret-0123";

    @Test
    void theJavaBackendExampleInTheDocsIsTheCompiledOneAndItWorks() throws Exception {
        String source = Files.readString(Path.of("src/test/java/io/dino/gateway/docs/BackendClientExample.java"));
        String example = source.substring(source.indexOf("// tag::example[]") + "// tag::example[]".length(),
                source.indexOf("// end::example[]")).stripTrailing();
        String docs = Files.readString(DOCS.resolve("grpc-api.md"));
        assertThat(normalize(docs)).contains(normalize(example));

        try (TestNode node = TestNode.start()) {
            EventRecorder events = new EventRecorder();
            node.client("bob", events);
            String token = BackendClientExample.run("127.0.0.1", node.grpcPort(), TestNode.API_KEY);

            DinoClient alice = DinoClient.connect(node.wsUri(), token).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(alice.connectResult().get("user").asText()).isEqualTo("alice");
            alice.close();
            JsonNode invoice = events.await("private", TIMEOUT);
            assertThat(invoice.at("/msg/body/amount").asInt()).isEqualTo(12);
        }
    }

    /** protocol.md's error table is ErrorCode, row for row; every error name either document shows exists. */
    @Test
    void theErrorTablesAndErrorCodeAgreeBothWays() throws Exception {
        String protocol = Files.readString(DOCS.resolve("protocol.md"));
        Map<String, String> documented = new TreeMap<>();
        Matcher rows = Pattern.compile("(?m)^\\| (\\d{4}) \\| ([A-Z_]+) \\| (yes|no) \\|").matcher(protocol);
        while (rows.find()) {
            documented.put(rows.group(2), rows.group(1) + " temporary=" + rows.group(3).equals("yes"));
        }
        Map<String, String> code = new TreeMap<>();
        for (ErrorCode error : ErrorCode.values()) {
            code.put(error.name(), error.code() + " temporary=" + error.temporary());
        }
        assertThat(documented).as("docs/protocol.md's error table").isEqualTo(code);

        Set<String> grpcStatuses = new HashSet<>();
        Arrays.stream(Status.Code.values()).forEach(status -> grpcStatuses.add(status.name()));
        Arrays.stream(HealthCheckResponse.ServingStatus.values()).forEach(status -> grpcStatuses.add(status.name()));
        assertNamesAre(code.keySet(), "protocol.md");
        Set<String> codesAndStatuses = new HashSet<>(code.keySet());
        codesAndStatuses.addAll(grpcStatuses);
        for (io.dino.api.v1.PresenceStatus status : io.dino.api.v1.PresenceStatus.values()) {
            // the proto's enum values, also as the doc shortens them (ONLINE for PRESENCE_STATUS_ONLINE)
            codesAndStatuses.add(status.name());
            codesAndStatuses.add(status.name().replaceFirst("^PRESENCE_STATUS_", ""));
        }
        for (io.dino.api.v1.RoleScope scope : io.dino.api.v1.RoleScope.values()) {
            codesAndStatuses.add(scope.name());
        }
        for (io.dino.api.v1.RoomKind kind : io.dino.api.v1.RoomKind.values()) {
            codesAndStatuses.add(kind.name());
        }
        assertNamesAre(codesAndStatuses, "grpc-api.md");
    }

    /** Every upper-case name in backticks in the document is one of {@code known}. */
    private static void assertNamesAre(Set<String> known, String doc) throws Exception {
        Matcher names = Pattern.compile("`([A-Z][A-Z_]*[A-Z])`").matcher(Files.readString(DOCS.resolve(doc)));
        while (names.find()) {
            assertThat(known).as("docs/%s names `%s`", doc, names.group(1)).contains(names.group(1));
        }
    }

    /**
     * The meters a running node serves are the ones operations.md lists: a renamed, removed or added meter
     * fails, as does a row for a meter that does not exist.
     */
    @Test
    void theOperationsDocumentListsExactlyTheMetersANodeServes() throws Exception {
        String operations = Files.readString(DOCS.resolve("operations.md"));
        Set<String> listed = new TreeSet<>();
        Matcher rows = Pattern.compile("(?m)^\\| `(dino_[a-z_]+)` \\|").matcher(operations);
        while (rows.find()) {
            listed.add(rows.group(1));
        }
        Set<String> served = new TreeSet<>();
        try (TestNode node = TestNode.start()) {
            EventRecorder events = new EventRecorder();
            DinoClient client = node.client("meter", events); // every lazily registered meter gets a sample
            client.join("meters").join();
            client.send("meters", "counted").join();
            node.backend().publishToRoom(PublishToRoomRequest.newBuilder().setRoom("meters").setBodyJson("1").build());
            events.awaitCount(EventRecorder.ofType("message"), 2, TIMEOUT);
            HttpRequest scrape = HttpRequest.newBuilder(node.httpUri("/observe/metrics?scope=application"))
                    .header("Accept", "text/plain").build();
            String metrics = HttpClient.newHttpClient().send(scrape, HttpResponse.BodyHandlers.ofString()).body();
            Matcher types = Pattern.compile("(?m)^# TYPE (dino_[a-z_]+) ").matcher(metrics);
            while (types.find()) {
                served.add(types.group(1));
            }
        }
        // a timer's _max gauge is described in the timer's row
        served.removeIf(meter -> meter.endsWith("_max") && served.contains(meter.substring(0, meter.length() - 4)));
        assertThat(listed).as("the meters docs/operations.md lists, and those the node serves").isEqualTo(served);
    }

    /**
     * Every key of configuration.md's {@code dino} tables is read with the documented type and default: a
     * value of that type changes what the loader produces (a key the code no longer reads leaves it unchanged),
     * and the documented default changes nothing. The other way round, every name the loader asks for is
     * documented.
     */
    @Test
    void theConfigurationDocumentAndTheLoaderAgreeOnEveryKey() throws Exception {
        String configuration = Files.readString(DOCS.resolve("configuration.md"));
        // Key | Type | Default | Meaning rows; the environment-variable table has two columns only
        Matcher rows = Pattern.compile("(?m)^\\| `(dino\\.[a-z.-]+)` \\| ([^|]+) \\| ([^|]+) \\|")
                .matcher(configuration);
        Map<String, String> base = Map.of("dino.node-id", "base", "dino.auth.hmac-secrets.0", SECRET);
        GatewayConfig defaults = load(base);
        Set<String> documented = new TreeSet<>();
        while (rows.find()) {
            String key = rows.group(1);
            String type = rows.group(2).strip();
            String defaultValue = rows.group(3).strip();
            documented.add(key);
            assertThat(load(with(base, valuesOfType(key, type, defaultValue))))
                    .as("%s (%s) changes the configuration", key, type).isNotEqualTo(defaults);
            Matcher literal = Pattern.compile("^`([^`]+)`$").matcher(defaultValue);
            if (literal.matches()) {
                assertThat(load(with(base, Map.of(key, literal.group(1)))))
                        .as("%s's documented default %s", key, defaultValue).isEqualTo(defaults);
            }
        }
        assertThat(documented).as("keys documented in docs/configuration.md").hasSizeGreaterThan(25);

        String loader = Files.readString(Path.of("src/main/java/io/dino/gateway/config/ConfigLoader.java"));
        Matcher asked = Pattern.compile("\\.get\\(\"([a-z.-]+)\"\\)").matcher(loader);
        while (asked.find()) {
            String name = asked.group(1);
            boolean inAKey = documented.stream().anyMatch(key -> ("." + key + ".").contains("." + name + "."));
            assertThat(inAKey || configuration.contains("`" + name + "`"))
                    .as("ConfigLoader reads '%s', which docs/configuration.md documents", name).isTrue();
        }
    }

    /** A valid value for a key of a documented type, other than its default. */
    private static Map<String, String> valuesOfType(String key, String type, String defaultValue) throws Exception {
        String plainDefault = defaultValue.replace("`", "");
        if (type.startsWith("integer")) {
            return Map.of(key, Long.toString(Long.parseLong(plainDefault) + 1));
        }
        if (type.startsWith("duration")) {
            Duration documented = Duration.parse(plainDefault);
            // twice a zero default is zero still
            return Map.of(key, (documented.isZero() ? Duration.ofSeconds(1) : documented.multipliedBy(2)).toString());
        }
        if (type.equals("string")) {
            return Map.of(key, "doc-check");
        }
        if (type.startsWith("port number")) {
            return Map.of(key, "9090");
        }
        if (type.startsWith("PEM file")) {
            // the certificate and its key go together; the loader checks that the files are readable
            Path file = Files.createTempFile("docs-check", ".pem");
            file.toFile().deleteOnExit();
            String tls = key.substring(0, key.lastIndexOf('.'));
            return Map.of(tls + ".certificate", file.toString(), tls + ".private-key", file.toString());
        }
        if (type.equals("list of strings")) {
            return Map.of(key + ".0", SECRET + "-doc-check");
        }
        if (type.startsWith("list of IP addresses or CIDR ranges")) {
            return Map.of(key + ".0", "10.0.0.0/8");
        }
        if (type.equals("list of `{kid, pem}`")) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            String pem = "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
            return Map.of(key + ".0.kid", "doc-check", key + ".0.pem", pem);
        }
        Matcher choices = Pattern.compile("`([a-z]+)`").matcher(type);
        while (choices.find()) {
            if (!choices.group(1).equals(plainDefault)) {
                return Map.of(key, choices.group(1));
            }
        }
        throw new AssertionError("no test value for " + key + " of documented type '" + type + "'");
    }

    private static Map<String, String> with(Map<String, String> base, Map<String, String> values) {
        Map<String, String> all = new HashMap<>(base);
        all.putAll(values);
        return all;
    }

    private static GatewayConfig load(Map<String, String> values) {
        return ConfigLoader.gateway(Config.just(ConfigSources.create(values)));
    }

    private static String normalize(String code) {
        return code.lines().map(String::strip).filter(line -> !line.isEmpty()).reduce("", (a, b) -> a + "\n" + b);
    }
}
