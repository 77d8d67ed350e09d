package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.EngineUnavailableException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Lua script from the resources, run by its SHA. A Redis that restarted has forgotten its
 * scripts; the script is then loaded again and the call repeated, once.
 */
final class Scripts {

    private final String source;
    private final String digest;
    private volatile String sha;

    private Scripts(String source) {
        this.source = source;
        this.digest = sha1Hex(source);
    }

    /** The script's text, for {@code SCRIPT LOAD}. */
    String source() {
        return source;
    }

    /**
     * The SHA1 Redis knows the script by, computed here: a caller on a connection without automatic flushing
     * can send {@code EVALSHA} without a {@code SCRIPT LOAD} round trip first.
     */
    String digest() {
        return digest;
    }

    private static String sha1Hex(String text) {
        try {
            return java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from the JDK", e);
        }
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
    <T> RedisFuture<T> send(StatefulRedisConnection<String, String> connection, ScriptOutputType type, String[] keys,
                            String... args) {
        String current = sha;
        if (current == null) {
            current = sha = connection.sync().scriptLoad(source);
        }
        return connection.async().evalsha(current, type, keys, args);
    }

    /** The answer to {@link #send}; a Redis that forgot the script (it restarted) gets it again and runs it once more. */
    <T> T await(RedisFuture<T> sent, Duration timeout, StatefulRedisConnection<String, String> connection,
                ScriptOutputType type, String[] keys, String... args) {
        try {
            return sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RedisNoScriptException) {
                sha = null;
                return run(connection.sync(), type, keys, args);
            }
            throw new EngineUnavailableException("Redis: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new EngineUnavailableException("Redis did not answer within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineUnavailableException("interrupted while waiting for Redis", e);
        }
    }

    <T> T run(RedisCommands<String, String> redis, ScriptOutputType type, String[] keys, String... args) {
        String current = sha;
        if (current == null) {
            current = sha = redis.scriptLoad(source);
        }
        try {
            return redis.evalsha(current, type, keys, args);
        } catch (RedisNoScriptException e) {
            sha = redis.scriptLoad(source);
            return redis.evalsha(sha, type, keys, args);
        }
    }
}
