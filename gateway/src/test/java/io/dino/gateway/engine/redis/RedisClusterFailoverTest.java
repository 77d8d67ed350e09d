package io.dino.gateway.engine.redis;

import io.dino.gateway.cluster.RedisCluster;
import io.dino.gateway.cluster.RedisServer;
import io.dino.gateway.engine.Draft;
import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.EngineUnavailableException;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.engine.RecordingListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A Redis Cluster master dies (SIGKILL) and its replica takes over: what the redis engine keeps and what it
 * can lose. Redis replicates asynchronously, so a publication acknowledged by the master alone can be lost;
 * with {@code dino.redis.wait-replicas} a publish is acknowledged only once a replica has it. Three masters
 * with one replica each, cluster node timeout {@value RedisCluster#NODE_TIMEOUT_MILLIS} ms.
 */
class RedisClusterFailoverTest {

    private static final Duration FAILOVER_WITHIN = Duration.ofSeconds(15);
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static RedisCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start(3, 1);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    private static Engine engine(String node, String prefix, int waitReplicas) {
        return RedisEngine.start(node, new RedisSettings(null, prefix, Duration.ofSeconds(2), 100_000, Duration.ZERO,
                Duration.ofMinutes(5), 100_000, Duration.ofMillis(200), Duration.ofSeconds(30))
                .onCluster(cluster.seeds(), Duration.ofSeconds(1))
                .waitingFor(waitReplicas, Duration.ofMillis(500)), InstantSource.system());
    }

    @Test
    void publishingGoesOnAfterAFailoverAndWhatWasAcknowledgedWithAReplicaSurvivesAndIsDelivered() throws Exception {
        String shared = "f" + PREFIXES.incrementAndGet();
        Keys keys = new Keys(shared);
        LogId room = roomOnAMasterWithAReplica(keys);
        RedisServer master = cluster.masterOf(keys.meta(room));
        try (Engine publisher = engine("a", shared, 1);
             Engine subscriber = engine("b", shared, 0)) {
            RecordingListener onB = new RecordingListener();
            publisher.broker().start(new RecordingListener());
            subscriber.broker().start(onB);
            subscriber.broker().subscribe(room);
            List<Publication> acknowledged = new CopyOnWriteArrayList<>();
            AtomicInteger refused = new AtomicInteger();
            AtomicBoolean publishing = new AtomicBoolean(true);
            Thread load = Thread.ofPlatform().name("publisher").start(() -> {
                for (int i = 0; publishing.get(); i++) {
                    try {
                        acknowledged.add(publisher.broker().publish(room,
                                new Draft("m" + i, "ann", System.currentTimeMillis(), Integer.toString(i), "")));
                    } catch (EngineUnavailableException e) {
                        refused.incrementAndGet();
                    }
                }
            });
            try {
                await().until(() -> acknowledged.size() >= 100);
                master.kill();
                cluster.awaitFailover(keys.meta(room), master, FAILOVER_WITHIN);
                // the promoted replica has no replica of its own, so no publish is acknowledged until the old master
                // comes back (empty: no persistence) and becomes its replica
                int atFailover = acknowledged.size();
                master.restart();
                await("publishing resumes once the promoted replica has a replica").atMost(FAILOVER_WITHIN)
                        .until(() -> acknowledged.size() >= atFailover + 20);
            } finally {
                publishing.set(false);
                load.join(Duration.ofSeconds(10));
            }

            // every acknowledged publication is still there, at the position it was acknowledged with
            List<Publication> stored = publisher.broker().after(room, 0, 100_000);
            Map<String, Publication> storedById = stored.stream().collect(Collectors.toMap(Publication::id, Function.identity()));
            for (Publication ack : acknowledged) {
                assertThat(storedById.get(ack.id())).as("acknowledged %s", ack.id()).isNotNull()
                        .extracting(Publication::position).isEqualTo(ack.position());
            }
            long top = publisher.broker().top(room).offset();
            assertThat(stored).extracting(p -> p.position().offset()).isEqualTo(LongStream.rangeClosed(1, top).boxed().toList());
            // and the subscriber, whose inbox may have been on the dead master, gets all of it, in order
            await().atMost(Duration.ofSeconds(15)).until(() -> onB.offsetsOf(room).size() >= top);
            assertThat(onB.offsetsOf(room)).isEqualTo(LongStream.rangeClosed(1, top).boxed().toList());
        }
    }

    @Test
    void withoutWaitingForAReplicaAFailoverCanLoseAcknowledgedPublicationsAndWaitingRefusesToAcknowledgeThem() {
        String shared = "g" + PREFIXES.incrementAndGet();
        Keys keys = new Keys(shared);
        LogId room = roomOnAMasterWithAReplica(keys);
        RedisServer master = cluster.masterOf(keys.meta(room));
        RedisServer replica = cluster.replicasOf(master).getFirst();
        try (Engine fast = engine("fast", shared, 0);
             Engine safe = engine("safe", shared, 1)) {
            fast.broker().start(new RecordingListener());
            safe.broker().start(new RecordingListener());
            Publication replicated = safe.broker().publish(room, new Draft("kept", "ann", 1, "0", ""));

            // the replica stops taking the replication stream (a frozen machine, a broken link)
            cluster.freeze(replica);
            cluster.dropReplicaLinks(master);
            List<Publication> acknowledgedByTheMasterAlone = IntStream.rangeClosed(1, 5)
                    .mapToObj(i -> fast.broker().publish(room, new Draft("fast" + i, "ann", 1, Integer.toString(i), "")))
                    .toList();
            assertThatThrownBy(() -> safe.broker().publish(room, new Draft("refused", "ann", 1, "0", "")))
                    .isInstanceOf(EngineUnavailableException.class)
                    .hasMessageContaining("0 of the 1 replicas");
            master.kill();
            cluster.resume(replica);
            cluster.awaitFailover(keys.meta(room), master, FAILOVER_WITHIN);

            // the promoted replica never had them: acknowledged, and gone
            List<String> kept = await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                    .until(() -> safe.broker().after(room, 0, 100).stream().map(Publication::id).toList(), ids -> true);
            assertThat(kept).contains(replicated.id());
            assertThat(kept).doesNotContainAnyElementsOf(acknowledgedByTheMasterAlone.stream().map(Publication::id).toList());
            assertThat(safe.broker().top(room)).isEqualTo(replicated.position());
        }
    }

    /** A room whose master has a live replica (an earlier test's failover leaves a master without one). */
    private static LogId roomOnAMasterWithAReplica(Keys keys) {
        for (int i = 0; ; i++) {
            LogId room = LogId.room("busy-" + i);
            RedisServer master = cluster.masterOf(keys.meta(room));
            if (cluster.replicasOf(master).stream().anyMatch(RedisServer::isRunning)) {
                return room;
            }
        }
    }
}
