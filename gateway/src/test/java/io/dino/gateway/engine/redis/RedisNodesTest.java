package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.Nodes;
import io.dino.gateway.engine.Nodes.NodeLoad;
import io.dino.gateway.engine.NodesContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis engine's node listing passes the contract against a real redis-server; and two nodes on one Redis see
 * each other's load, until one stops.
 */
class RedisNodesTest extends NodesContract {

    @RegisterExtension
    static final RedisEngines redis = RedisEngines.onServer("nodes").startingBrokers();  // a started broker heartbeats
    private String prefix;

    @Override
    protected Nodes newNode(String node) {
        prefix = redis.newPrefix();
        return engine(node).nodes();
    }

    /** A node of the cluster {@link #newNode} began (heartbeat and housekeeping every 200 ms). */
    private Engine engine(String node) {
        return redis.engine(node, prefix);
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
        assertThat(redis.direct().hkeys(prefix + ":node-stats")).containsExactlyInAnyOrder("node-a", "node-b");

        redis.stop(engineB);
        assertThat(a.live()).extracting(NodeLoad::node).containsExactly("node-a");
        assertThat(redis.direct().hkeys(prefix + ":node-stats")).containsExactly("node-a");
    }

    @Test
    void aLiveNodeThatHasNotReportedIsListedAsUnknownAndAReportOfANodeNoLongerLiveIsNot() {
        Nodes a = newNode("node-a");
        a.reportFrom(() -> load("node-a", 1));
        Engine quiet = engine("node-q");  // reports nothing: no source set
        redis.direct().hset(prefix + ":node-stats", "gone", "{\"v\":\"old\",\"n\":9}");

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(a.live())
                .extracting(NodeLoad::node, NodeLoad::sessions)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("node-a", 1), org.assertj.core.groups.Tuple.tuple("node-q", 0)));
        assertThat(a.live().get(1)).isEqualTo(NodeLoad.unknown("node-q"));
        assertThat(quiet.nodes().live()).extracting(NodeLoad::node).containsExactly("node-a", "node-q");
    }
}
