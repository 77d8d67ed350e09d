package io.dino.gateway.engine.redis;

import io.dino.gateway.cluster.RedisServer;
import io.dino.gateway.engine.Control;
import io.dino.gateway.engine.DeliveryListener;
import io.dino.gateway.engine.Draft;
import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.EngineContract;
import io.dino.gateway.engine.EngineUnavailableException;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.engine.RecordingListener;
import io.dino.gateway.engine.SessionRef;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The Redis engine passes the engine contract against a real redis-server, plus what only a cluster has. */
class RedisEngineTest extends EngineContract {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static RedisServer redis;
    private static RedisClient client;
    private static RedisCommands<String, String> direct;

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

    @Override
    protected Engine newEngine(String node, Duration maxAge) {
        // each engine gets an empty keyspace
        return engine(node, "t" + PREFIXES.incrementAndGet(), Duration.ofSeconds(30), maxAge);
    }

    private static Engine engine(String node, String prefix, Duration nodeTimeout) {
        return engine(node, prefix, nodeTimeout, Duration.ZERO);
    }

    private static Engine engine(String node, String prefix, Duration nodeTimeout, Duration maxAge) {
        return RedisEngine.start(node, new RedisSettings(redis.uri(), prefix, Duration.ofSeconds(2), 100, maxAge,
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
        // after its start, this node never beats again: it is as good as frozen once its heartbeat is old
        Engine doomed = RedisEngine.start("doomed", new RedisSettings(redis.uri(), shared, Duration.ofSeconds(2), 100,
                Duration.ZERO, Duration.ofMinutes(5), 10_000, Duration.ofHours(1), Duration.ofHours(2)), InstantSource.system());
        try {
            RecordingListener events = new RecordingListener();
            survivor.broker().start(events);
            doomed.broker().start(new RecordingListener());
            survivor.broker().subscribe(LogId.room("hall"));
            assertThat(survivor.presence().join("hall", new SessionRef("survivor", "s1", "sam"))).isTrue();
            assertThat(doomed.presence().connect(new SessionRef("doomed", "d1", "dora"))).isTrue();
            assertThat(doomed.presence().join("hall", new SessionRef("doomed", "d1", "dora"))).isTrue();
            assertThat(doomed.presence().setStatus("dora", io.dino.gateway.engine.UserStatus.AWAY)).isTrue();
            assertThat(survivor.presence().members("hall")).containsExactly("dora", "sam");
            // an invisible user: its leave with the dead node is for operators only
            doomed.presence().connect(new SessionRef("doomed", "d2", "gil"));
            doomed.rooms().enter("hall", new SessionRef("doomed", "d2", "gil"), false, java.util.Optional.empty(), 10, true);
            assertThat(survivor.presence().onlineUsers()).contains("dora");

            try (var raw = io.lettuce.core.RedisClient.create(redis.uri()).connect()) {
                raw.sync().zadd(new Keys(shared).nodes(), 1, "doomed");  // its last heartbeat, long ago
            }
            long declaredDead = System.currentTimeMillis();

            await().atMost(Duration.ofSeconds(10)).until(() -> survivor.presence().members("hall").equals(List.of("sam")));
            assertThat(survivor.presence().onlineUsers()).doesNotContain("dora");
            // the cleanup ended dora's last session: it stamped her last-online time and forgot her status
            await().until(() -> survivor.presence().presence(List.of("dora")).getFirst().status()
                    == io.dino.gateway.engine.UserStatus.OFFLINE);
            io.dino.gateway.engine.UserPresence dora = survivor.presence().presence(List.of("dora")).getFirst();
            assertThat(dora.lastOnline().orElseThrow()).isBetween(declaredDead, System.currentTimeMillis());
            await().until(() -> events.memberships.contains("hall dora left"));
            await().until(() -> events.memberships.contains("hall gil left for OPERATORS"));
            assertThat(events.memberships).doesNotContain("hall gil left");
        } finally {
            survivor.close();
            doomed.close();
        }
    }

    @Test
    void aDeadNodesSessionsLeaveARoomWithoutMembershipEventsQuietly() {
        String shared = "q" + PREFIXES.incrementAndGet();
        Engine survivor = engine("survivor", shared, Duration.ofMillis(600));
        Engine doomed = RedisEngine.start("doomed", new RedisSettings(redis.uri(), shared, Duration.ofSeconds(2), 100,
                Duration.ZERO, Duration.ofMinutes(5), 10_000, Duration.ofHours(1), Duration.ofHours(2)), InstantSource.system());
        try (var raw = io.lettuce.core.RedisClient.create(redis.uri()).connect()) {
            RecordingListener events = new RecordingListener();
            survivor.broker().start(events);
            doomed.broker().start(new RecordingListener());
            survivor.broker().subscribe(LogId.room("quiet"));
            survivor.broker().subscribe(LogId.room("loud"));
            survivor.directory().createRoom(new io.dino.gateway.engine.Directory.RoomRecord("quiet",
                    io.dino.gateway.engine.Directory.DEFAULT_CHANNEL, "Quiet", io.dino.gateway.engine.Directory.RoomKind.STATIC,
                    0, "", System.currentTimeMillis(), "test", java.util.Set.of(), false));
            SessionRef dora = new SessionRef("doomed", "d1", "dora");
            doomed.presence().connect(dora);
            doomed.presence().join("quiet", dora);
            doomed.presence().join("loud", dora);

            raw.sync().zadd(new Keys(shared).nodes(), 1, "doomed");  // its last heartbeat, long ago
            // the reaper's last step drops the node: every leave it was going to announce has been sent by then
            await().atMost(Duration.ofSeconds(10)).until(() -> raw.sync().zscore(new Keys(shared).nodes(), "doomed") == null);
            assertThat(survivor.presence().members("quiet")).isEmpty();
            await().until(() -> events.memberships.contains("loud dora left"));
            // a marker after the reaping, in the same room: a leave announced there would have arrived before it
            Publication marker = survivor.broker().publish(LogId.room("quiet"), new Draft("m1", "sam", 1, "\"marker\"", ""));
            await().until(() -> events.publications.stream().anyMatch(p -> p.id().equals(marker.id())));
            assertThat(events.memberships).doesNotContain("quiet dora left");
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
    void visitingRoomsThatHaveNoMessagesLeavesNoKeyOfThemBehind() {
        String shared = "v" + PREFIXES.incrementAndGet();
        try (Engine a = engine("a", shared, Duration.ofSeconds(30))) {
            a.broker().start(new RecordingListener());
            for (int i = 0; i < 100; i++) {
                String room = "made-up-" + i;
                SessionRef session = new SessionRef("a", "s" + i, "user" + i);
                LogId log = LogId.room(room);
                a.presence().join(room, session);
                a.broker().subscribe(log);
                a.broker().top(log);
                a.broker().latest(log, 10);
                a.broker().after(log, 0, 10);
                a.broker().recover(log, Position.EMPTY, 10);
                a.broker().recover(log, new Position("old", 4), 10);
                a.presence().members(room);
                a.broker().unsubscribe(log);
                a.presence().leave(room, session);
            }

            assertThat(direct.keys(shared + ":{r:*")).isEmpty();
        }
    }

    @Test
    void aNodeTrimsItsInboxBehindWhatItHasReadAndNeverAhead() {
        String shared = "trim" + PREFIXES.incrementAndGet();
        String inbox = shared + ":{n:a}:inbox";
        try (Engine a = engine("a", shared, Duration.ofSeconds(30))) {
            RecordingListener events = new RecordingListener();
            CountDownLatch release = new CountDownLatch(1);
            a.broker().start(new StalledListener(events, release));
            LogId room = LogId.room("busy");
            a.broker().subscribe(room);
            for (int i = 1; i <= 1000; i++) {
                a.broker().publish(room, new Draft("m" + i, "s", System.currentTimeMillis(), Integer.toString(i), ""));
            }

            // the reader is stuck on the first entry: several heartbeats later nothing after it is gone
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> direct.xlen(inbox) == 1000);
            release.countDown();
            await().until(() -> events.offsetsOf(room).size() == 1000);
            assertThat(events.offsetsOf(room)).isEqualTo(java.util.stream.LongStream.rangeClosed(1, 1000).boxed().toList());

            // what it read goes within a few heartbeats (each poll publishes one more, as live traffic would)
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                a.broker().publish(room, new Draft("tick", "s", System.currentTimeMillis(), "0", ""));
                return direct.xlen(inbox) < 200;
            });
        }
    }

    /** Holds the inbox reader in its first delivery until released, as a node that stopped reading. */
    private record StalledListener(RecordingListener delegate, CountDownLatch release) implements DeliveryListener {

        @Override
        public void onPublication(Publication publication) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            delegate.onPublication(publication);
        }

        @Override
        public void onBroadcast(Publication publication) {
            delegate.onBroadcast(publication);
        }

        @Override
        public void onMembership(String room, String user, boolean joined, io.dino.gateway.engine.Audience audience) {
            delegate.onMembership(room, user, joined, audience);
        }

        @Override
        public int onControl(Control command) {
            return delegate.onControl(command);
        }
    }

    @Test
    void everyPublishGivesTheLogMaxAgePlusAMarginToLive() {
        String shared = "ttl" + PREFIXES.incrementAndGet();
        try (Engine aged = engine("a", shared, Duration.ofSeconds(30), Duration.ofSeconds(60))) {
            aged.broker().start(new RecordingListener());
            LogId room = LogId.room("ttl");
            String meta = shared + ":{r:ttl}:meta";
            String log = shared + ":{r:ttl}:log";
            aged.broker().publish(room, new Draft("1", "s", System.currentTimeMillis(), "1", ""));
            assertThat(List.of(direct.pttl(meta), direct.pttl(log))).allSatisfy(ttl -> assertThat(ttl).isBetween(60_000L, 120_000L));

            direct.pexpire(meta, 1_000);  // as if it had been idle for almost all its life
            direct.pexpire(log, 1_000);
            aged.broker().publish(room, new Draft("2", "s", System.currentTimeMillis(), "2", ""));

            assertThat(List.of(direct.pttl(meta), direct.pttl(log))).allSatisfy(ttl -> assertThat(ttl).isBetween(60_000L, 120_000L));
            assertThat(aged.broker().top(room).offset()).isEqualTo(2);
        }
    }

    @Test
    void withoutAMaximumAgeLogsDoNotExpireEvenIfAnEarlierConfigurationGaveThemATimeToLive() {
        String shared = "keep" + PREFIXES.incrementAndGet();
        try (Engine kept = engine("a", shared, Duration.ofSeconds(30))) {
            kept.broker().start(new RecordingListener());
            LogId room = LogId.room("kept");
            String meta = shared + ":{r:kept}:meta";
            String log = shared + ":{r:kept}:log";
            kept.broker().publish(room, new Draft("1", "s", System.currentTimeMillis(), "1", ""));
            direct.pexpire(meta, 60_000);
            direct.pexpire(log, 60_000);

            kept.broker().publish(room, new Draft("2", "s", System.currentTimeMillis(), "2", ""));

            assertThat(direct.pttl(meta)).isEqualTo(-1);
            assertThat(direct.pttl(log)).isEqualTo(-1);
        }
    }

    @Test
    void aStoredMessageWhoseRoutingFailedIsDeliveredLiveWithoutAnotherMessage() {
        storedButNotRoutedIsDelivered(Duration.ofSeconds(2));
    }

    @Test
    void theAuditAlsoRunsOnAQuietInboxWhenTheCommandTimeoutIsShort() {
        // a blocking read as long as the command timeout would time out on every quiet second, and never audit
        storedButNotRoutedIsDelivered(Duration.ofSeconds(1));
    }

    private static void storedButNotRoutedIsDelivered(Duration commandTimeout) {
        String shared = "route" + PREFIXES.incrementAndGet();
        try (Engine publisher = engine("a", shared, Duration.ofSeconds(30));
             Engine subscriber = RedisEngine.start("b", new RedisSettings(redis.uri(), shared, commandTimeout, 100,
                     Duration.ZERO, Duration.ofMinutes(5), 10_000, Duration.ofMillis(200), Duration.ofSeconds(30)),
                     InstantSource.system())) {
            RecordingListener onB = new RecordingListener();
            publisher.broker().start(new RecordingListener());
            subscriber.broker().start(onB);
            LogId room = LogId.room("quiet");
            subscriber.broker().subscribe(room);
            // the subscriber's inbox is not a stream for a moment: the publisher's inbox write fails after the append
            Keys keys = new Keys(shared);
            try (var raw = io.lettuce.core.RedisClient.create(redis.uri()).connect()) {
                raw.sync().set(keys.inbox("b"), "not a stream");
                Publication stored = publisher.broker().publish(room, new Draft("only", "ann", 1, "1", ""));
                // a publish is answered once stored, before its routing; a batch's routing goes to Redis ahead of
                // the next batch, so once the next publish is answered the inbox write has been tried (and failed)
                publisher.broker().publish(LogId.room("elsewhere"), new Draft("next", "ann", 1, "1", ""));
                raw.sync().del(keys.inbox("b"));
                assertThat(stored.position().offset()).isEqualTo(1);
                assertThat(raw.sync().xlen(keys.inbox("b"))).isZero();
            }

            // two audits of the inbox reader, with room to spare
            await().atMost(Duration.ofMillis(InboxReader.AUDIT_MILLIS * 5)).until(() -> onB.offsetsOf(room).equals(List.of(1L)));
        }
    }

    @Test
    void recordedInterestConvergesBothWays() {
        String shared = "int" + PREFIXES.incrementAndGet();
        Keys keys = new Keys(shared);
        try (Engine a = engine("a", shared, Duration.ofSeconds(30));
             var raw = io.lettuce.core.RedisClient.create(redis.uri()).connect()) {
            a.broker().start(new RecordingListener());
            LogId live = LogId.room("live");
            LogId gone = LogId.room("gone");
            a.broker().subscribe(live);
            // an unsubscribe whose removal failed, and interest Redis lost
            raw.sync().sadd(keys.interest(gone), "a");
            raw.sync().sadd(keys.nodeInterest("a"), "r:gone");
            raw.sync().srem(keys.interest(live), "a");
            raw.sync().srem(keys.nodeInterest("a"), "r:live");

            await().atMost(Duration.ofSeconds(5)).until(() -> raw.sync().smembers(keys.interest(gone)).isEmpty()
                    && raw.sync().smembers(keys.interest(live)).contains("a"));
            assertThat(raw.sync().smembers(keys.nodeInterest("a"))).containsExactly("r:live");
        }
    }

    @Test
    void theHeartbeatGoesOnWhileTheNodeCleansUpAfterADeadNode() {
        String shared = "hb" + PREFIXES.incrementAndGet();
        Keys keys = new Keys(shared);
        try (var raw = io.lettuce.core.RedisClient.create(redis.uri()).connect()) {
            // a dead node that left a lot behind: removing its 100k presence entries takes seconds
            var async = raw.async();
            List<io.lettuce.core.RedisFuture<Long>> writes = new java.util.ArrayList<>();
            for (int i = 0; i < 100_000; i++) {
                writes.add(async.sadd(keys.nodePresence("ghost"), "o\ns" + i + "\nu" + i));
            }
            writes.forEach(write -> write.toCompletableFuture().join());
            raw.sync().zadd(keys.nodes(), 1, "ghost");
            try (Engine live = engine("live", shared, Duration.ofSeconds(2))) {
                live.broker().start(new RecordingListener());
                await().atMost(Duration.ofSeconds(10)).until(() -> raw.sync().exists(keys.nodeReaperLock("ghost")) == 1);
                double reapStartedAt = raw.sync().zscore(keys.nodes(), "live");

                // beats go on (every 200 ms) while the cleanup is still under way
                await().atMost(Duration.ofSeconds(5)).until(() -> raw.sync().zscore(keys.nodes(), "live") >= reapStartedAt + 600);
                assertThat(raw.sync().scard(keys.nodePresence("ghost"))).isPositive();
            }
        }
    }

    @Test
    void aNodeTakenForDeadPutsItsPresenceAndInterestBack() {
        String shared = "back" + PREFIXES.incrementAndGet();
        Keys keys = new Keys(shared);
        try (Engine a = engine("a", shared, Duration.ofSeconds(30));
             var raw = io.lettuce.core.RedisClient.create(redis.uri()).connect()) {
            a.broker().start(new RecordingListener());
            a.broker().subscribe(LogId.room("hall"));
            a.presence().connect(new SessionRef("a", "s1", "sue"));
            a.presence().join("hall", new SessionRef("a", "s1", "sue"));
            // what another node's reaper does to a node it takes for dead
            raw.sync().del(keys.onlineSessions(Keys.onlineBucket("sue")), keys.onlineUsers(Keys.onlineBucket("sue")), keys.roomSessions("hall"), keys.roomUsers("hall"),
                    keys.interest(LogId.room("hall")), keys.nodePresence("a"), keys.nodeInterest("a"));
            raw.sync().zrem(keys.nodes(), "a");

            await().atMost(Duration.ofSeconds(5)).until(() -> a.presence().onlineUsers().equals(List.of("sue"))
                    && a.presence().members("hall").equals(List.of("sue"))
                    && raw.sync().smembers(keys.interest(LogId.room("hall"))).contains("a"));
            assertThat(raw.sync().zscore(keys.nodes(), "a")).isNotNull();
        }
    }

    @Test
    void aControlCommandReachesEveryHoldingNodeOnceAndWaitsForDeadOnesToBeDeclaredDead() {
        String shared = "ctl" + PREFIXES.incrementAndGet();
        try (Engine a = engine("a", shared, Duration.ofSeconds(1));
             Engine b = engine("b", shared, Duration.ofSeconds(1));
             Engine c = engine("c", shared, Duration.ofSeconds(1));
             Engine bystander = engine("e", shared, Duration.ofSeconds(1))) {
            LogId user = LogId.user("uma");
            RecordingListener onA = new RecordingListener();
            RecordingListener onB = new RecordingListener();
            RecordingListener onC = new RecordingListener();
            RecordingListener onE = new RecordingListener();
            onA.sessionsAffected = 1;
            onB.sessionsAffected = 2;
            onC.sessionsAffected = 3;
            a.broker().start(onA);
            b.broker().start(onB);
            c.broker().start(onC);
            bystander.broker().start(onE);
            for (Engine holder : List.of(a, b, c)) {
                holder.broker().subscribe(user);
            }
            // a frozen node, as Redis sees it: it holds a session of the user and beat a moment ago, but answers nothing
            try (var raw = io.lettuce.core.RedisClient.create(redis.uri()).connect()) {
                Keys keys = new Keys(shared);
                raw.sync().zadd(keys.nodes(), System.currentTimeMillis(), "d");
                raw.sync().sadd(keys.interest(user), "d");
            }

            Control command = new Control.DisconnectUser("uma", "bye", false);
            int affected = a.broker().control(user, command);

            assertThat(affected).isEqualTo(6);
            for (RecordingListener holder : List.of(onA, onB, onC)) {
                assertThat(holder.controls).containsExactly(command);
            }
            assertThat(onE.controls).isEmpty();
        }
    }

    @Test
    void aRoomRuleChangeCrossesToTheHoldingNodesIntactAndTheRulesLiveInTheRoomsSlot() {
        String shared = "acl" + PREFIXES.incrementAndGet();
        try (Engine a = engine("a", shared, Duration.ofSeconds(5));
             Engine b = engine("b", shared, Duration.ofSeconds(5));
             Engine bystander = engine("e", shared, Duration.ofSeconds(5))) {
            RecordingListener onA = new RecordingListener();
            RecordingListener onB = new RecordingListener();
            RecordingListener onE = new RecordingListener();
            onB.sessionsAffected = 3;
            a.broker().start(onA);
            b.broker().start(onB);
            bystander.broker().start(onE);
            LogId room = LogId.room("vip");
            b.broker().subscribe(room);

            Map<String, String> rules = Map.of("join", "(age=35:|gender=f),membership=!normal", "message", "city=Köln;New York");
            a.acls().set("vip", rules);
            Control changed = new Control.RoomAclChanged("vip", rules);
            assertThat(a.broker().control(room, changed)).isEqualTo(3);

            assertThat(onB.controls).containsExactly(changed);
            assertThat(onA.controls).isEmpty();
            assertThat(onE.controls).isEmpty();
            assertThat(b.acls().get("vip")).isEqualTo(rules);
            Keys keys = new Keys(shared);
            assertThat(keys.roomAcl("vip")).isEqualTo(shared + ":{r:vip}:acl");
            assertThat(io.lettuce.core.cluster.SlotHash.getSlot(keys.roomAcl("vip")))
                    .isEqualTo(io.lettuce.core.cluster.SlotHash.getSlot(keys.log(room)));
            assertThat(direct.ttl(keys.roomAcl("vip"))).as("rules do not expire").isEqualTo(-1);
        }
    }

    @Test
    void waitingForAReplicaAcknowledgesOnlyWhatAReplicaHas() {
        String shared = "w" + PREFIXES.incrementAndGet();
        LogId room = LogId.room("durable");
        Keys keys = new Keys(shared);
        try (Engine a = RedisEngine.start("a", new RedisSettings(redis.uri(), shared, Duration.ofSeconds(2), 100,
                Duration.ZERO, Duration.ofMinutes(5), 10_000, Duration.ofMillis(200), Duration.ofSeconds(30))
                .waitingFor(1, Duration.ofSeconds(1)), InstantSource.system())) {
            a.broker().start(new RecordingListener());

            // no replica: refused, although stored
            assertThatThrownBy(() -> a.broker().publish(room, new Draft("alone", "ann", 1, "1", "")))
                    .isInstanceOf(EngineUnavailableException.class)
                    .hasMessageContaining("0 of the 1 replicas");
            assertThat(a.broker().top(room).offset()).isEqualTo(1);

            try (RedisServer replica = RedisServer.start(RedisServer.Options.DEFAULT.withArguments(
                    "--replicaof", "127.0.0.1", Integer.toString(redis.port())));
                 var onReplica = RedisClient.create(replica.uri()).connect()) {
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> onReplica.sync().info("replication").contains("master_link_status:up"));
                // the replica's side says up a moment before the master counts it as an online replica that WAIT asks
                try (var onMaster = client.connect()) {
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> onMaster.sync().info("replication").contains("state=online"));
                }

                Publication acknowledged = a.broker().publish(room, new Draft("replicated", "ann", 2, "2", ""));

                assertThat(acknowledged.position().offset()).isEqualTo(2);
                assertThat(onReplica.sync().hget(keys.meta(room), "top")).isEqualTo("2");
            }
        }
    }
}
