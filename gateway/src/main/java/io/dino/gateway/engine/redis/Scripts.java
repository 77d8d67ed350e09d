package io.dino.gateway.engine.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * One Lua script from the resources, run by its SHA. A Redis that restarted has forgotten its
 * scripts; the script is then loaded again and the call repeated, once.
 */
final class Scripts {

    private final String source;
    private volatile String sha;

    private Scripts(String source) {
        this.source = source;
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
