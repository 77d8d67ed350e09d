package io.dino.gateway.config;

import io.dino.gateway.auth.AuthSettings;
import io.dino.gateway.limits.Rate;
import io.dino.gateway.limits.RateSettings;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads configuration: environment variables override system properties, which override the YAML
 * file, which overrides the defaults written here. An invalid value stops the node with a message
 * naming the key.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /** The whole configuration tree (server and dino sections) from a YAML file plus overrides. */
    public static Config load(Optional<Path> file) {
        Config.Builder builder = Config.builder();
        file.ifPresent(path -> {
            if (!Files.isReadable(path)) {
                throw new IllegalArgumentException("config file " + path + " does not exist or is not readable");
            }
            builder.addSource(ConfigSources.file(path));
        });
        return builder.build();
    }

    /** The typed {@code dino} section. */
    public static GatewayConfig gateway(Config root) {
        Config dino = root.get("dino");
        Config auth = dino.get("auth");
        Config limits = dino.get("limits");
        Config history = dino.get("history");
        Config shutdown = dino.get("shutdown");
        String nodeId = dino.get("node-id").asString().orElse("");
        return new GatewayConfig(
                nodeId.isBlank() ? "n-" + UUID.randomUUID().toString().substring(0, 8) : nodeId,
                engine(dino.get("engine")),
                new AuthSettings(
                        auth.get("hmac-secrets").asList(String.class).orElse(List.of()),
                        auth.get("public-keys").asNodeList().orElse(List.of()).stream()
                                .map(key -> new AuthSettings.PublicKeySetting(
                                        key.get("kid").asString().orElse(""),
                                        key.get("pem").asString().orElseThrow(() -> invalid(key.key() + ".pem", "is required"))))
                                .toList(),
                        auth.get("issuer").asString().filter(s -> !s.isBlank()),
                        auth.get("audience").asString().filter(s -> !s.isBlank()),
                        positive(auth.get("clock-skew"), Duration.ofSeconds(30), true),
                        positive(auth.get("token-ttl"), Duration.ofHours(1), false),
                        positive(auth.get("expiry-warning"), AuthSettings.DEFAULT_EXPIRY_WARNING, true),
                        maxTokenLifetime(auth)),
                dino.get("api-keys").asList(String.class).orElse(List.of()),
                dino.get("ws-path").asString().orElse("/ws"),
                new LinkedHashSet<>(dino.get("allowed-origins").asList(String.class).orElse(List.of())),
                limits(limits),
                history(history),
                new GatewayConfig.Shutdown(
                        positive(shutdown.get("drain-period"), Duration.ofSeconds(5), true),
                        positive(shutdown.get("grpc-grace"), Duration.ofSeconds(10), true)),
                redis(dino.get("redis")),
                cluster(dino.get("cluster")),
                port(dino.get("management.port")),
                new GatewayConfig.Grpc(
                        port(dino.get("grpc.port")),
                        positive(dino.get("grpc.max-message-bytes"), 4 * 1_048_576),
                        positive(dino.get("grpc.max-calls-per-connection"), 10_000),
                        tls(dino.get("grpc.tls"))),
                bool(dino.get("dev-mode"), false),
                new GatewayConfig.Demo(bool(dino.get("demo.enabled"), false)),
                new GatewayConfig.Admin(bool(dino.get("admin.enabled"), false)),
                new GatewayConfig.Presence(
                        bool(dino.get("presence.invisible-for-all"), false),
                        bool(dino.get("sessions.single"), false)),
                rooms(dino.get("rooms")),
                receipts(dino.get("receipts")),
                abuse(dino.get("moderation")),
                events(dino.get("events")),
                new GatewayConfig.Moderation(positive(dino.get("moderation.kick-ban"), Duration.ZERO, true)),
                rates(limits.get("rate")),
                logFormat(dino.get("log.format")),
                trustedProxies(dino.get("trusted-proxies")));
    }

    private static TrustedProxies trustedProxies(Config node) {
        try {
            return TrustedProxies.parse(node.asList(String.class).orElse(List.of()));
        } catch (IllegalArgumentException e) {
            throw invalid(node.key().toString(), "entries must be IP addresses or CIDR ranges: " + e.getMessage());
        }
    }

    private static GatewayConfig.LogFormat logFormat(Config node) {
        String name = node.asString().orElse("json");
        try {
            return GatewayConfig.LogFormat.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid(node.key().toString(), "must be json or text; got '" + name + "'");
        }
    }

    private static GatewayConfig.Receipts receipts(Config receipts) {
        return new GatewayConfig.Receipts(
                bool(receipts.get("room-relay"), true),
                positive(receipts.get("room-relay-max-members"), 100),
                positive(receipts.get("query-max-users"), 100));
    }

    private static GatewayConfig.Abuse abuse(Config moderation) {
        String room = moderation.get("admin-room").asString().orElse("admin");
        if (!room.matches("[A-Za-z0-9._:-]{1,64}")) {
            throw invalid(moderation.key() + ".admin-room", "must be a room id (1-64 letters, digits and . _ : -), got '"
                    + room + "'");
        }
        return new GatewayConfig.Abuse(room, positive(moderation.get("blacklist-refresh"), Duration.ofSeconds(1), false));
    }

    private static GatewayConfig.Events events(Config events) {
        return new GatewayConfig.Events(
                bool(events.get("enabled"), true),
                events.get("stream").asString().orElse("").strip(),
                positive(events.get("max-length"), 1_000_000L),
                positive(events.get("queue"), 65_536),
                positive(events.get("max-watchers"), 64));
    }

    /**
     * {@code dino.limits.rate}: the defaults are flood guards, above what a person or the load generator's
     * benchmarks do on one session (docs/configuration.md says why), with the gRPC API unlimited.
     */
    private static RateSettings rates(Config rate) {
        return new RateSettings(
                rate(rate.get("commands"), 1_000, 2_000),
                rate(rate.get("sends"), 250, 500),
                rate(rate.get("joins"), 500, 1_000),
                rate(rate.get("user-sends"), 500, 1_000),
                rate(rate.get("user-joins"), 1_000, 2_000),
                rate(rate.get("api-key-calls"), 0, 1_000),
                notNegative(rate.get("flood-close"), 500));
    }

    /** {@code per-second} 0: unlimited (the burst, at least 1, is then kept but not used). */
    private static Rate rate(Config node, int perSecond, int burst) {
        return new Rate(notNegative(node.get("per-second"), perSecond), positive(node.get("burst"), burst));
    }

    private static GatewayConfig.Rooms rooms(Config rooms) {
        return new GatewayConfig.Rooms(
                bool(rooms.get("open-rooms"), true),
                positive(rooms.get("max-name-length"), 40),
                rooms.get("reserved-names").asList(String.class).orElse(List.of("admin", "system", "default")).stream()
                        .map(name -> name.strip().toLowerCase(Locale.ROOT))
                        .collect(java.util.stream.Collectors.toSet()),
                positive(rooms.get("max-ephemeral-per-user"), 5),
                positive(rooms.get("ephemeral-linger"), Duration.ofSeconds(60), true));
    }

    private static boolean bool(Config node, boolean defaultValue) {
        if (!node.exists()) {
            return defaultValue;
        }
        String value = node.asString().orElse("").strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(node.key().toString(), "must be true or false, got '" + value + "'");
        };
    }

    private static java.util.OptionalInt port(Config node) {
        if (!node.exists()) {
            return java.util.OptionalInt.empty();
        }
        int value;
        try {
            value = node.asInt().get();
        } catch (RuntimeException e) {
            throw invalid(node.key().toString(), "must be a whole number");
        }
        if (value < 0 || value > 65_535) {
            throw invalid(node.key().toString(), "must be a port number 0-65535, got " + value);
        }
        return java.util.OptionalInt.of(value);
    }

    private static Optional<GatewayConfig.Tls> tls(Config tls) {
        Optional<String> certificate = tls.get("certificate").asString().filter(value -> !value.isBlank());
        Optional<String> privateKey = tls.get("private-key").asString().filter(value -> !value.isBlank());
        if (certificate.isEmpty() && privateKey.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new GatewayConfig.Tls(
                readableFile(tls.get("certificate"), certificate, "private-key"),
                readableFile(tls.get("private-key"), privateKey, "certificate")));
    }

    private static Path readableFile(Config node, Optional<String> value, String otherKey) {
        String key = node.key().toString();
        Path path = Path.of(value.orElseThrow(() -> invalid(key, "is required when " + otherKey + " is set")));
        if (!Files.isReadable(path)) {
            throw invalid(key, "names " + path + ", which does not exist or is not readable");
        }
        return path;
    }

    private static GatewayConfig.Limits limits(Config limits) {
        GatewayConfig.Limits settings = new GatewayConfig.Limits(
                positive(limits.get("max-frame-bytes"), 65_536),
                positive(limits.get("max-message-bytes"), 16_384),
                positive(limits.get("max-rooms-per-session"), 100),
                positive(limits.get("outbound-queue-frames"), 1_024),
                positive(limits.get("outbound-queue-bytes"), 4 * 1_048_576),
                positive(limits.get("max-reply-bytes"), 1_048_576),
                positive(limits.get("auth-timeout"), Duration.ofSeconds(10), false),
                positive(limits.get("ping-interval"), Duration.ofSeconds(25), false),
                positive(limits.get("ping-timeout"), Duration.ofSeconds(30), false),
                positive(limits.get("handshake-timeout"), Duration.ofSeconds(10), false),
                positive(limits.get("write-delay"), Duration.ZERO, true));
        // a history page always carries at least one message, or paging could not move on
        if (settings.maxReplyBytes() < settings.maxMessageBytes()) {
            throw invalid(limits.get("max-reply-bytes").key().toString(),
                    "must be at least max-message-bytes (" + settings.maxMessageBytes() + "), got " + settings.maxReplyBytes());
        }
        return settings;
    }

    private static GatewayConfig.History history(Config history) {
        GatewayConfig.History settings = new GatewayConfig.History(
                positive(history.get("retained-per-log"), 1_000),
                positive(history.get("default-limit"), 50),
                positive(history.get("max-limit"), 500),
                positive(history.get("idempotency-window"), Duration.ofMinutes(5), false),
                positive(history.get("max-age"), Duration.ofDays(1), true),
                positive(history.get("recovery-limit"), 1_000),
                positive(history.get("memory-budget"), 128L * 1_048_576));
        if (settings.defaultLimit() > settings.maxLimit()) {
            throw invalid(history.get("default-limit").key().toString(),
                    "must not exceed max-limit (" + settings.maxLimit() + "), got " + settings.defaultLimit());
        }
        return settings;
    }

    private static GatewayConfig.Redis redis(Config redis) {
        GatewayConfig.Redis settings = new GatewayConfig.Redis(
                redis.get("uri").asString().orElse("redis://127.0.0.1:6379"),
                redis.get("prefix").asString().orElse("dino"),
                positive(redis.get("command-timeout"), Duration.ofSeconds(2), false),
                positive(redis.get("inbox-max-length"), 100_000),
                redis.get("cluster-nodes").asList(String.class).orElse(List.of()).stream()
                        .map(String::strip).filter(seed -> !seed.isEmpty()).toList(),
                positive(redis.get("cluster-refresh-interval"), Duration.ofSeconds(10), false),
                notNegative(redis.get("wait-replicas"), 0),
                positive(redis.get("wait-timeout"), Duration.ofMillis(500), false));
        if (settings.waitTimeout().compareTo(settings.commandTimeout()) >= 0) {
            throw invalid(redis.get("wait-timeout").key().toString(),
                    "must be shorter than dino.redis.command-timeout, got " + settings.waitTimeout());
        }
        return settings;
    }

    private static GatewayConfig.Cluster cluster(Config cluster) {
        GatewayConfig.Cluster settings = new GatewayConfig.Cluster(
                positive(cluster.get("heartbeat-interval"), Duration.ofSeconds(5), false),
                positive(cluster.get("node-timeout"), Duration.ofSeconds(30), false));
        if (settings.nodeTimeout().compareTo(settings.heartbeatInterval().multipliedBy(2)) < 0) {
            throw invalid(cluster.get("node-timeout").key().toString(),
                    "must be at least twice dino.cluster.heartbeat-interval, got " + settings.nodeTimeout());
        }
        return settings;
    }

    private static GatewayConfig.EngineKind engine(Config node) {
        String name = node.asString().orElse("memory");
        try {
            return GatewayConfig.EngineKind.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid(node.key().toString(), "must be memory or redis; got '" + name + "'");
        }
    }

    private static int positive(Config node, int defaultValue) {
        int value;
        try {
            value = node.asInt().orElse(defaultValue);
        } catch (RuntimeException e) {
            throw invalid(node.key().toString(), "must be a whole number");
        }
        if (value <= 0) {
            throw invalid(node.key().toString(), "must be greater than 0, got " + value);
        }
        return value;
    }

    private static int notNegative(Config node, int defaultValue) {
        int value;
        try {
            value = node.asInt().orElse(defaultValue);
        } catch (RuntimeException e) {
            throw invalid(node.key().toString(), "must be a whole number");
        }
        if (value < 0) {
            throw invalid(node.key().toString(), "must be 0 or more, got " + value);
        }
        return value;
    }

    private static long positive(Config node, long defaultValue) {
        long value;
        try {
            value = node.asLong().orElse(defaultValue);
        } catch (RuntimeException e) {
            throw invalid(node.key().toString(), "must be a whole number");
        }
        if (value <= 0) {
            throw invalid(node.key().toString(), "must be greater than 0, got " + value);
        }
        return value;
    }

    /** At least the lifetime of the tokens this node mints itself (dino.auth.token-ttl). */
    private static Duration maxTokenLifetime(Config auth) {
        Duration ttl = positive(auth.get("token-ttl"), Duration.ofHours(1), false);
        Duration longest = positive(auth.get("max-token-lifetime"),
                ttl.compareTo(AuthSettings.DEFAULT_MAX_TOKEN_LIFETIME) > 0 ? ttl : AuthSettings.DEFAULT_MAX_TOKEN_LIFETIME, false);
        if (longest.compareTo(ttl) < 0) {
            throw invalid(auth.get("max-token-lifetime").key().toString(), "must be at least dino.auth.token-ttl (" + ttl + ")");
        }
        return longest;
    }

    private static Duration positive(Config node, Duration defaultValue, boolean zeroAllowed) {
        Duration value;
        try {
            value = node.as(Duration.class).orElse(defaultValue);
        } catch (RuntimeException e) {
            throw invalid(node.key().toString(), "must be an ISO-8601 duration such as PT30S or PT5M");
        }
        if (value.isNegative() || (!zeroAllowed && value.isZero())) {
            throw invalid(node.key().toString(), "must be " + (zeroAllowed ? "0 or more" : "more than 0") + ", got " + value);
        }
        return value;
    }

    private static IllegalArgumentException invalid(String key, String problem) {
        return new IllegalArgumentException("configuration key " + key + " " + problem);
    }
}
