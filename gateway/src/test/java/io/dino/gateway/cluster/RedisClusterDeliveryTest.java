package io.dino.gateway.cluster;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every {@link ClusterDeliveryTest} scenario on a Redis Cluster of three masters: rooms, users' inboxes, node
 * inboxes and online presence buckets spread over the masters, so deliveries, recoveries, presence and control
 * commands cross slots and servers. The lifecycle methods hide the superclass's, which start one Redis.
 */
class RedisClusterDeliveryTest extends ClusterDeliveryTest {

    private static RedisCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start(3, 0);
        startNodes(cluster.nodeConfig());
    }

    @AfterAll
    static void stopCluster() {
        stopNodes();
        cluster.close();
    }
}
