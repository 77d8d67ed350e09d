package io.dino.gateway.engine.redis;

import io.dino.gateway.cluster.RedisServer;
import io.dino.gateway.engine.DeliveryListener;
import io.dino.gateway.engine.Draft;
import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.EngineContract;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.engine.RecordingListener;
import io.dino.gateway.engine.SessionRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Redis engine passes the engine contract against a real redis-server, plus what only a cluster has. */
class RedisEngineTest extends EngineContract {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static RedisServer redis;
    private String prefix;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Override
    protected Engine newEngine(String node) {
        prefix = "t" + PREFIXES.incrementAndGet();  // each test gets an empty keyspace
        return engine(node, prefix, Duration.ofSeconds(30));
    }

    private static Engine engine(String node, String prefix, Duration nodeTimeout) {
        return RedisEngine.start(node, new RedisSettings(redis.uri(), prefix, Duration.ofSeconds(2), 100, Duration.ZERO,
                Duration.ofMinutes(5), 10_000, Duration.ofMillis(200), nodeTimeout), InstantSource.system());
    }

    @Test
    void aPublicationOnOneNodeReachesTheSubscribersOnOtherNodesOnly() {
        String shared = "x" + PREFIXES.incrementAndGet();
        try (Engine a = engine("a", shared, Duration.ofSeconds(30));
             Engine b = engine("b", shared, Duration.ofSeconds(30));
             Engine c = engine("c", shared, Duration.ofSeconds(30))) {
            RecordingListener onB = new RecordingListener();
            RecordingListener onC = new RecordingListener();
            a.broker().start(new RecordingListener());
            b.broker().start(onB);
            c.broker().start(onC);
            LogId room = LogId.room("cross");
            b.broker().subscribe(room);

            for (int i = 0; i < 10; i++) {
                a.broker().publish(room, new Draft("m" + i, "ann", i, Integer.toString(i), ""));
            }

            await().until(() -> onB.offsetsOf(room).size() == 10);
            assertThat(onB.offsetsOf(room)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            a.broker().broadcast(new Publication("b1", null, "system", 1, null, "\"hi\""));
            await().until(() -> onC.broadcasts.size() == 1);
            assertThat(onC.publications).isEmpty();
        }
    }

    @Test
    void presenceIsSharedAndADeadNodesSessionsLeaveWithLeaveEvents() {
        String shared = "p" + PREFIXES.incrementAndGet();
        Engine survivor = engine("survivor", shared, Duration.ofMillis(600));
        Engine doomed = engine("doomed", shared, Duration.ofMillis(600));
        try {
            RecordingListener events = new RecordingListener();
            survivor.broker().start(events);
            doomed.broker().start(new RecordingListener());
            survivor.broker().subscribe(LogId.room("hall"));
            assertThat(survivor.presence().join("hall", new SessionRef("survivor", "s1", "sam"))).isTrue();
            assertThat(doomed.presence().connect(new SessionRef("doomed", "d1", "dora"))).isTrue();
            assertThat(doomed.presence().join("hall", new SessionRef("doomed", "d1", "dora"))).isTrue();
            assertThat(survivor.presence().members("hall")).containsExactly("dora", "sam");
            assertThat(survivor.presence().onlineUsers()).contains("dora");

            ((RedisBroker) doomed.broker()).stopHeartbeatForTest();

            await().atMost(Duration.ofSeconds(10)).until(() -> survivor.presence().members("hall").equals(List.of("sam")));
            assertThat(survivor.presence().onlineUsers()).doesNotContain("dora");
            await().until(() -> events.memberships.contains("hall dora left"));
        } finally {
            survivor.close();
            doomed.close();
        }
    }

    @Test
    void aReaderThatMissedAnInboxEntryFillsTheGapFromTheLog() {
        String shared = "g" + PREFIXES.incrementAndGet();
        try (Engine a = engine("a", shared, Duration.ofSeconds(30))) {
            RecordingListener events = new RecordingListener();
            a.broker().start(events);
            LogId room = LogId.room("gappy");
            a.broker().subscribe(room);
            a.broker().unsubscribe(room);
            RedisBroker broker = (RedisBroker) a.broker();
            broker.publish(room, new Draft("1", "s", 1, "1", ""));  // not routed: nobody is subscribed
            broker.delivered().put(room, new Position(broker.top(room).epoch(), 0));
            a.broker().publish(room, new Draft("2", "s", 2, "2", ""));  // not routed either; the tracker is local only
            a.broker().subscribe(room);
            broker.delivered().put(room, new Position(broker.top(room).epoch(), 0));

            a.broker().publish(room, new Draft("3", "s", 3, "3", ""));

            await().until(() -> events.offsetsOf(room).size() == 3);
            assertThat(events.offsetsOf(room)).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void publicationsOlderThanTheMaximumAgeLeaveTheLog() {
        try (Engine aged = RedisEngine.start("aged", new RedisSettings(redis.uri(), "age" + PREFIXES.incrementAndGet(),
                Duration.ofSeconds(2), 100, Duration.ofMinutes(1), Duration.ofMinutes(5), 10_000,
                Duration.ofMillis(200), Duration.ofSeconds(30)), InstantSource.system())) {
            aged.broker().start(new RecordingListener());
            LogId room = LogId.room("aging");
            long now = System.currentTimeMillis();
            aged.broker().publish(room, new Draft("old-1", "s", now - 120_000, "1", ""));
            aged.broker().publish(room, new Draft("old-2", "s", now - 90_000, "2", ""));
            aged.broker().publish(room, new Draft("new-3", "s", now, "3", ""));

            assertThat(aged.broker().latest(room, 10)).extracting(Publication::id).containsExactly("new-3");
            assertThat(aged.broker().top(room).offset()).isEqualTo(3);
        }
    }
}
