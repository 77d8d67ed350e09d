package io.dino.gateway.engine.redis;

import io.dino.gateway.cluster.RedisCluster;
import io.dino.gateway.cluster.RedisServer;
import io.dino.gateway.engine.Draft;
import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.EngineContract;
import io.dino.gateway.engine.EngineUnavailableException;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.engine.RecordingListener;
import io.dino.gateway.engine.SessionRef;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The redis engine passes the engine contract against a real Redis Cluster of three masters (lettuce's cluster
 * client, every command routed by its key's slot), plus what only a cluster shows: work of one node spread
 * over the masters, and online presence in many slots.
 */
class RedisClusterEngineTest extends EngineContract {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static RedisCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start(3, 0);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Override
    protected Engine newEngine(String node, Duration maxAge) {
        return engine(node, "c" + PREFIXES.incrementAndGet(), maxAge);
    }

    private static Engine engine(String node, String prefix, Duration maxAge) {
        return RedisEngine.start(node, new RedisSettings(null, prefix, Duration.ofSeconds(2), 100, maxAge,
                Duration.ofMinutes(5), 10_000, Duration.ofMillis(200), Duration.ofSeconds(30))
                .onCluster(cluster.seeds(), Duration.ofSeconds(1)), InstantSource.system());
    }

    @Test
    void roomsUsersAndNodesOnDifferentMastersDeliverToEachOther() {
        String shared = "x" + PREFIXES.incrementAndGet();
        List<LogId> logs = IntStream.range(0, 12).mapToObj(i -> i % 2 == 0 ? LogId.room("r" + i) : LogId.user("u" + i)).toList();
        Keys keys = new Keys(shared);
        assertThat(logs.stream().map(log -> cluster.masterOf(keys.meta(log)).port()).distinct()).hasSize(3);
        try (Engine a = engine("a", shared, Duration.ZERO);
             Engine b = engine("b", shared, Duration.ZERO)) {
            RecordingListener onB = new RecordingListener();
            a.broker().start(new RecordingListener());
            b.broker().start(onB);
            logs.forEach(b.broker()::subscribe);

            for (int i = 1; i <= 5; i++) {
                for (LogId log : logs) {
                    a.broker().publish(log, new Draft(log.name() + i, "ann", i, Integer.toString(i), ""));
                }
            }

            await().until(() -> logs.stream().allMatch(log -> onB.offsetsOf(log).size() == 5));
            for (LogId log : logs) {
                assertThat(onB.offsetsOf(log)).containsExactly(1L, 2L, 3L, 4L, 5L);
            }
        }
    }

    @Test
    void onlinePresenceIsSpreadOverManySlotsAndStillReadAsOne() {
        String shared = "o" + PREFIXES.incrementAndGet();
        Keys keys = new Keys(shared);
        Set<Integer> slots = new HashSet<>();
        for (int bucket = 0; bucket < Keys.ONLINE_BUCKETS; bucket++) {
            slots.add(SlotHash.getSlot(keys.onlineUsers(bucket)));
        }
        assertThat(slots).hasSize(Keys.ONLINE_BUCKETS);
        try (Engine a = engine("a", shared, Duration.ZERO);
             Engine b = engine("b", shared, Duration.ZERO)) {
            a.broker().start(new RecordingListener());
            b.broker().start(new RecordingListener());
            List<String> users = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String user = "user" + i;
                users.add(user);
                Engine on = i % 2 == 0 ? a : b;
                assertThat(on.presence().connect(new SessionRef(i % 2 == 0 ? "a" : "b", "s" + i, user))).isTrue();
            }
            // a second session of a user is not a first one, wherever it is
            assertThat(b.presence().connect(new SessionRef("b", "again", "user0"))).isFalse();

            assertThat(a.presence().onlineUsers()).containsExactlyElementsOf(users.stream().sorted().toList());
            assertThat(b.presence().online(List.of("user7", "nobody", "user3"))).containsExactly("user7", "user3");
            assertThat(a.presence().disconnect(new SessionRef("a", "s0", "user0"))).isFalse();
            assertThat(b.presence().disconnect(new SessionRef("b", "again", "user0"))).isTrue();
            assertThat(b.presence().onlineUsers()).doesNotContain("user0").hasSize(59);
        }
    }

    @Test
    void publishingAndDeliveryGoOnWhileTheRoomsSlotMovesToAnotherMaster() throws Exception {
        String shared = "m" + PREFIXES.incrementAndGet();
        Keys keys = new Keys(shared);
        LogId room = LogId.room("moving");
        RedisServer from = cluster.masterOf(keys.meta(room));
        RedisServer to = cluster.masters().stream().filter(master -> master != from).findFirst().orElseThrow();
        try (Engine publisher = engine("a", shared, Duration.ZERO);
             Engine subscriber = engine("b", shared, Duration.ZERO)) {
            RecordingListener onB = new RecordingListener();
            publisher.broker().start(new RecordingListener());
            subscriber.broker().start(onB);
            subscriber.broker().subscribe(room);
            List<Publication> acknowledged = new CopyOnWriteArrayList<>();
            AtomicBoolean publishing = new AtomicBoolean(true);
            Thread load = Thread.ofPlatform().name("publisher").start(() -> {
                for (int i = 0; publishing.get(); i++) {
                    try {
                        acknowledged.add(publisher.broker().publish(room, new Draft("m" + i, "ann", 1, Integer.toString(i), "")));
                    } catch (EngineUnavailableException e) {
                        // a script over keys of which some moved already answers TRYAGAIN; the publish is not acknowledged
                    }
                }
            });
            try {
                await().until(() -> acknowledged.size() >= 50);
                cluster.moveSlotOf(keys.meta(room), to);
                int moved = acknowledged.size();
                await("publishing goes on on the new master").until(() -> acknowledged.size() >= moved + 50);
            } finally {
                publishing.set(false);
                load.join(Duration.ofSeconds(10));
            }

            assertThat(cluster.masterOf(keys.meta(room))).isSameAs(to);
            long top = publisher.broker().top(room).offset();
            // the log keeps its last 100 or so: what it keeps is contiguous, and every acknowledged publication in that
            // range is there, at the position it was acknowledged with
            List<Publication> stored = publisher.broker().after(room, 0, 100_000);
            long oldest = stored.getFirst().position().offset();
            assertThat(stored).extracting(p -> p.position().offset()).isEqualTo(LongStream.rangeClosed(oldest, top).boxed().toList());
            assertThat(stored).containsAll(acknowledged.stream().filter(p -> p.position().offset() >= oldest).toList());
            await().until(() -> onB.offsetsOf(room).size() >= top);
            assertThat(onB.offsetsOf(room)).isEqualTo(LongStream.rangeClosed(1, top).boxed().toList());
        }
    }
}
