package io.dino.gateway.engine.redis;

import io.dino.gateway.cluster.RedisCluster;
import io.dino.gateway.cluster.RedisServer;
import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.RecordingListener;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Redis engines for an engine contract test, as a static {@code @RegisterExtension} field: a real redis-server (or a
 * Redis Cluster of three masters) for the test class, engines started on it with a fresh key prefix per "cluster"
 * of nodes, each closed after its test. A contract's {@code newX()} is {@link #newNode}, its {@code otherNodeOf(x)}
 * is {@link #otherNodeOf}: the other node shares the first one's prefix, as nodes of one deployment share Redis.
 */
final class RedisEngines implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {

    private final String stem;
    private final boolean cluster;
    private final boolean startBrokers;
    private final AtomicInteger prefixes = new AtomicInteger();
    private final List<Engine> engines = new ArrayList<>();
    private final Map<Object, String> prefixOf = new IdentityHashMap<>();
    private RedisServer server;
    private RedisCluster redisCluster;
    private RedisClient client;
    private RedisCommands<String, String> direct;

    private RedisEngines(String stem, boolean cluster, boolean startBrokers) {
        this.stem = stem;
        this.cluster = cluster;
        this.startBrokers = startBrokers;
    }

    /** Engines on one redis-server; keys are prefixed {@code STEM1}, {@code STEM2}, … */
    static RedisEngines onServer(String stem) {
        return new RedisEngines(stem, false, false);
    }

    /** Engines on a Redis Cluster of three masters, so every command and script must name keys of one slot. */
    static RedisEngines onCluster(String stem) {
        return new RedisEngines(stem, true, false);
    }

    /** The same, with each engine's broker started (with a listener that records), for seams that need it. */
    RedisEngines startingBrokers() {
        return new RedisEngines(stem, cluster, true);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (cluster) {
            redisCluster = RedisCluster.start(3, 0);
        } else {
            server = RedisServer.start();
            client = RedisClient.create(server.uri());
            direct = client.connect().sync();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        engines.forEach(Engine::close);
        engines.clear();
        prefixOf.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster) {
            redisCluster.close();
        } else {
            client.shutdown();
            server.close();
        }
    }

    /** A seam of a first node on a fresh prefix. */
    <S> S newNode(Function<Engine, S> seam) {
        String prefix = newPrefix();
        S first = seam.apply(engine("node-a", prefix));
        remember(first, prefix);
        return first;
    }

    /** The same seam of another node sharing {@code seam}'s prefix. */
    <S> S otherNodeOf(S seam, Function<Engine, S> sameSeam) {
        String prefix = prefixOf(seam);
        S other = sameSeam.apply(engine("node-b", prefix));
        remember(other, prefix);
        return other;
    }

    /** The key prefix of a seam or engine this made. */
    String prefixOf(Object seam) {
        String prefix = prefixOf.get(seam);
        if (prefix == null) {
            throw new IllegalArgumentException("not made by this fixture: " + seam);
        }
        return prefix;
    }

    String newPrefix() {
        return stem + prefixes.incrementAndGet();
    }

    /** An engine of {@code node} on {@code prefix}, closed after the test. */
    Engine engine(String node, String prefix) {
        return engine(node, prefix, Duration.ZERO);
    }

    /** The same, with a history max-age ({@code Duration.ZERO}: none). */
    Engine engine(String node, String prefix, Duration historyMaxAge) {
        RedisSettings settings = new RedisSettings(cluster ? null : server.uri(), prefix, Duration.ofSeconds(2), 100,
                historyMaxAge, Duration.ofMinutes(5), 10_000, Duration.ofMillis(200), Duration.ofSeconds(30));
        if (cluster) {
            settings = settings.onCluster(redisCluster.seeds(), Duration.ofSeconds(1));
        }
        Engine engine = RedisEngine.start(node, settings, InstantSource.system());
        engines.add(engine);
        remember(engine, prefix);
        if (startBrokers) {
            engine.broker().start(new RecordingListener());
        }
        return engine;
    }

    /** Closes one of the engines before the test ends: a node that stops. */
    void stop(Engine engine) {
        engines.remove(engine);
        engine.close();
    }

    /** A lettuce client of the redis-server, for tests of parts below the engine (not on a cluster). */
    RedisClient client() {
        if (client == null) {
            throw new IllegalStateException("the client is for the single-server fixture");
        }
        return client;
    }

    /** Commands straight to the redis-server, to look at keys (not on a cluster). */
    RedisCommands<String, String> direct() {
        if (direct == null) {
            throw new IllegalStateException("direct commands are for the single-server fixture");
        }
        return direct;
    }

    private void remember(Object seam, String prefix) {
        prefixOf.put(seam, prefix);
    }
}
