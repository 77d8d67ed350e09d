package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.EngineUnavailableException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Lua script from the resources, run by its SHA-1 (computed here: nothing is loaded up front). A Redis
 * that does not know the script (it restarted, or it is a replica just promoted by a Redis Cluster
 * failover: scripts are not replicated) answers NOSCRIPT; the call is then repeated once with EVAL, which
 * runs the script on the server that holds the keys and caches it there.
 */
final class Scripts {

    private final String source;
    private final String sha;

    private Scripts(String source) {
        this.source = source;
        this.sha = sha1(source);
    }

    /** The script's text, for {@code EVAL}. */
    String source() {
        return source;
    }

    /** The SHA-1 Redis knows the script by, for {@code EVALSHA}. */
    String sha() {
        return sha;
    }

    static Scripts load(String name) {
        try (InputStream in = Scripts.class.getResourceAsStream("/dino/redis/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing script " + name);
            }
            return new Scripts(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends the script without waiting for it, so it shares a round trip with what is pipelined around it;
     * {@link #await} answers it.
     */
    <T> RedisFuture<T> send(Connection connection, ScriptOutputType type, String[] keys, String... args) {
        return connection.async().evalsha(sha, type, keys, args);
    }

    /** The answer to {@link #send}; a Redis that does not know the script gets it whole and runs it once more. */
    <T> T await(RedisFuture<T> sent, Duration timeout, Connection connection, ScriptOutputType type, String[] keys,
                String... args) {
        try {
            return sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RedisNoScriptException) {
                return RedisBroker.redis(() -> connection.sync().eval(source, type, keys, args));
            }
            throw new EngineUnavailableException("Redis: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new EngineUnavailableException("Redis did not answer within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineUnavailableException("interrupted while waiting for Redis", e);
        }
    }

    <T> T run(RedisClusterCommands<String, String> redis, ScriptOutputType type, String[] keys, String... args) {
        try {
            return redis.evalsha(sha, type, keys, args);
        } catch (RedisNoScriptException e) {
            return redis.eval(source, type, keys, args);
        }
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-1 in this JDK", e);
        }
    }
}
