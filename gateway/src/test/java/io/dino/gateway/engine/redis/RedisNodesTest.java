package io.dino.gateway.engine.redis;

import io.dino.gateway.cluster.RedisServer;
import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.Nodes;
import io.dino.gateway.engine.Nodes.NodeLoad;
import io.dino.gateway.engine.NodesContract;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis engine's node listing passes the contract against a real redis-server; and two nodes on one Redis see
 * each other's load, until one stops.
 */
class RedisNodesTest extends NodesContract {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static RedisServer redis;
    private static RedisClient client;
    private static RedisCommands<String, String> direct;
    private final List<Engine> engines = new ArrayList<>();
    private String prefix;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
        client = RedisClient.create(redis.uri());
        direct = client.connect().sync();
    }

    @AfterAll
    static void stopRedis() {
        client.shutdown();
        redis.close();
    }

    @AfterEach
    void closeEngines() {
        engines.forEach(Engine::close);
    }

    @Override
    protected Nodes newNode(String node) {
        prefix = "nodes" + PREFIXES.incrementAndGet();
        return engine(node).nodes();
    }

    /** A started node of the cluster {@link #newNode} began (heartbeat and housekeeping every 200 ms). */
    private Engine engine(String node) {
        Engine engine = RedisEngine.start(node, new RedisSettings(redis.uri(), prefix, Duration.ofSeconds(2), 100, Duration.ZERO,
                Duration.ofMinutes(5), 10_000, Duration.ofMillis(200), Duration.ofSeconds(30)), InstantSource.system());
        engines.add(engine);
        engine.broker().start(new io.dino.gateway.engine.RecordingListener());  // registers the node: its heartbeat begins
        return engine;
    }

    private static NodeLoad load(String node, int sessions) {
        return new NodeLoad(node, "v-" + node, 1_000, 0, sessions, sessions, 1);
    }

    @Test
    void twoNodesOnOneRedisSeeEachOthersLoadUntilOneStops() {
        Nodes a = newNode("node-a");
        Engine engineB = engine("node-b");
        Nodes b = engineB.nodes();
        a.reportFrom(() -> load("node-a", 3));
        b.reportFrom(() -> load("node-b", 5));

        for (Nodes view : List.of(a, b)) {
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(view.live())
                    .extracting(NodeLoad::node, NodeLoad::version, NodeLoad::sessions)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("node-a", "v-node-a", 3),
                            org.assertj.core.groups.Tuple.tuple("node-b", "v-node-b", 5)));
        }
        assertThat(direct.hkeys(prefix + ":node-stats")).containsExactlyInAnyOrder("node-a", "node-b");

        engines.remove(engineB);
        engineB.close();
        assertThat(a.live()).extracting(NodeLoad::node).containsExactly("node-a");
        assertThat(direct.hkeys(prefix + ":node-stats")).containsExactly("node-a");
    }

    @Test
    void aLiveNodeThatHasNotReportedIsListedAsUnknownAndAReportOfANodeNoLongerLiveIsNot() {
        Nodes a = newNode("node-a");
        a.reportFrom(() -> load("node-a", 1));
        Engine quiet = engine("node-q");  // reports nothing: no source set
        direct.hset(prefix + ":node-stats", "gone", "{\"v\":\"old\",\"n\":9}");

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(a.live())
                .extracting(NodeLoad::node, NodeLoad::sessions)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("node-a", 1), org.assertj.core.groups.Tuple.tuple("node-q", 0)));
        assertThat(a.live().get(1)).isEqualTo(NodeLoad.unknown("node-q"));
        assertThat(quiet.nodes().live()).extracting(NodeLoad::node).containsExactly("node-a", "node-q");
    }
}
