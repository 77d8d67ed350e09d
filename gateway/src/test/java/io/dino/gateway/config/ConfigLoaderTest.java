package io.dino.gateway.config;

import io.dino.gateway.auth.AuthSettings;
import io.dino.gateway.auth.TokenVerifier;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    @Test
    void defaultsApplyWhenNothingIsConfigured() {
        GatewayConfig config = ConfigLoader.gateway(Config.just(ConfigSources.create(Map.of())));

        assertThat(config.nodeId()).startsWith("n-");
        assertThat(config.engine()).isEqualTo(GatewayConfig.EngineKind.MEMORY);
        assertThat(config.wsPath()).isEqualTo("/ws");
        assertThat(config.allowedOrigins()).isEmpty();
        assertThat(config.limits()).isEqualTo(new GatewayConfig.Limits(65_536, 16_384, 100, 1_024, 4_194_304, 1_048_576,
                Duration.ofSeconds(10), Duration.ofSeconds(25), Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ZERO));
        assertThat(config.history()).isEqualTo(new GatewayConfig.History(1_000, 50, 500, Duration.ofMinutes(5), Duration.ofDays(1), 1_000,
                134_217_728L));
        assertThat(config.shutdown()).isEqualTo(new GatewayConfig.Shutdown(Duration.ofSeconds(5), Duration.ofSeconds(10)));
        assertThat(config.auth().tokenTtl()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void yamlFileValuesAreReadAndSystemPropertiesOverrideThem(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("dino.yaml");
        Files.writeString(file, """
                dino:
                  node-id: edge-7
                  api-keys: ["k1", "k2"]
                  allowed-origins: ["https://chat.example.com"]
                  limits:
                    max-rooms-per-session: 7
                    outbound-queue-frames: 64
                  history:
                    retained-per-log: 20
                """);
        System.setProperty("dino.limits.outbound-queue-frames", "128");
        try {
            GatewayConfig config = ConfigLoader.gateway(ConfigLoader.load(Optional.of(file)));

            assertThat(config.nodeId()).isEqualTo("edge-7");
            assertThat(config.apiKeys()).containsExactly("k1", "k2");
            assertThat(config.allowedOrigins()).containsExactly("https://chat.example.com");
            assertThat(config.limits().maxRoomsPerSession()).isEqualTo(7);
            assertThat(config.limits().outboundQueueFrames()).isEqualTo(128);
            assertThat(config.history().retainedPerLog()).isEqualTo(20);
        } finally {
            System.clearProperty("dino.limits.outbound-queue-frames");
        }
    }

    /**
     * Environment variables cannot be set inside the test JVM, so this runs the real command line ({@code token},
     * which loads the configuration the way {@code run} does) in a child JVM with the variables set.
     */
    @Test
    void environmentVariablesReachNestedKeysAndListEntries() throws Exception {
        String secret = "env-secret-env-secret-env-secret-0123";

        String refusal = tokenCommand(Map.of("DINO_AUTH_HMAC_dash_SECRETS_0", secret,
                "DINO_CLUSTER_HEARTBEAT_dash_INTERVAL", "PT2S", "DINO_CLUSTER_NODE_dash_TIMEOUT", "PT3S"), 2);
        assertThat(refusal).contains("configuration key dino.cluster.node-timeout must be at least twice "
                + "dino.cluster.heartbeat-interval, got PT3S");
        // the plain form, every . and - as _, is looked up for the key too
        assertThat(tokenCommand(Map.of("DINO_AUTH_HMAC_dash_SECRETS_0", secret,
                "DINO_CLUSTER_HEARTBEAT_INTERVAL", "PT2S", "DINO_CLUSTER_NODE_TIMEOUT", "PT3S"), 2))
                .contains("configuration key dino.cluster.node-timeout must be at least twice");

        String token = tokenCommand(Map.of("DINO_AUTH_HMAC_dash_SECRETS_0", secret,
                "DINO_CLUSTER_NODE_dash_TIMEOUT", "PT10S"), 0).strip();
        AuthSettings auth = new AuthSettings(List.of(secret), List.of(), Optional.empty(), Optional.empty(),
                Duration.ofSeconds(5), Duration.ofHours(1));
        assertThat(new TokenVerifier(auth).verify(token).user()).as("signed with the secret from the environment")
                .isEqualTo("eve");
    }

    /** Runs {@code token eve} with only these DINO_ variables; returns its output after checking the exit status. */
    private static String tokenCommand(Map<String, String> environment, int exitStatus) throws Exception {
        ProcessBuilder command = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.dino.gateway.Main", "token", "eve")
                .redirectErrorStream(true);
        command.environment().keySet().removeIf(name -> name.startsWith("DINO_"));
        command.environment().putAll(environment);
        Process process = command.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(process.exitValue()).as(output).isEqualTo(exitStatus);
        return output;
    }

    @Test
    void invalidValuesNameTheKey() {
        assertInvalid(Map.of("dino.limits.max-frame-bytes", "0"), "dino.limits.max-frame-bytes must be greater than 0");
        assertInvalid(Map.of("dino.limits.max-frame-bytes", "lots"), "dino.limits.max-frame-bytes must be a whole number");
        assertInvalid(Map.of("dino.history.idempotency-window", "5 minutes"), "dino.history.idempotency-window must be an ISO-8601");
        assertInvalid(Map.of("dino.engine", "cassandra"), "dino.engine must be memory or redis");
        assertInvalid(Map.of("dino.limits.max-reply-bytes", "1000"),
                "dino.limits.max-reply-bytes must be at least max-message-bytes (16384), got 1000");
        assertInvalid(Map.of("dino.limits.ping-timeout", "PT0S"), "dino.limits.ping-timeout must be more than 0");
        assertInvalid(Map.of("dino.redis.wait-replicas", "-1"), "dino.redis.wait-replicas must be 0 or more");
        assertInvalid(Map.of("dino.redis.wait-timeout", "PT2S"),
                "dino.redis.wait-timeout must be shorter than dino.redis.command-timeout, got PT2S");
        assertInvalid(Map.of("dino.trusted-proxies.0", "nginx.internal"), "dino.trusted-proxies entries must be IP "
                + "addresses or CIDR ranges: 'nginx.internal' is not an IP address or a CIDR range such as 10.0.0.0/8");
    }

    @Test
    void redisClusterSeedsAreAListAndTheirAbsenceMeansOneRedis() {
        GatewayConfig standalone = ConfigLoader.gateway(Config.just(ConfigSources.create(Map.of())));
        GatewayConfig cluster = ConfigLoader.gateway(Config.just(ConfigSources.create(Map.of(
                "dino.redis.cluster-nodes.0", "redis://10.0.0.1:6379", "dino.redis.cluster-nodes.1", " redis://10.0.0.2:6379 ",
                "dino.redis.wait-replicas", "1"))));

        assertThat(standalone.redis().clusterNodes()).isEmpty();
        assertThat(standalone.redis().waitReplicas()).isZero();
        assertThat(cluster.redis().clusterNodes()).containsExactly("redis://10.0.0.1:6379", "redis://10.0.0.2:6379");
        assertThat(cluster.redis().clusterRefresh()).isEqualTo(Duration.ofSeconds(10));
        assertThat(cluster.redis().waitReplicas()).isEqualTo(1);
        assertThat(cluster.redis().waitTimeout()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aMissingConfigFileIsAClearError() {
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(Path.of("/nonexistent/dino.yaml"))))
                .hasMessageContaining("/nonexistent/dino.yaml does not exist");
    }

    private static void assertInvalid(Map<String, String> values, String message) {
        assertThatThrownBy(() -> ConfigLoader.gateway(Config.just(ConfigSources.create(values))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
