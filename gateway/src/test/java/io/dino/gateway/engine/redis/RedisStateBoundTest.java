package io.dino.gateway.engine.redis;

import io.dino.gateway.cluster.RedisServer;
import io.dino.gateway.engine.Draft;
import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.RecordingListener;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis stays bounded under a churn of room names (the bound docs/operations.md states): once their
 * retention has passed, 100,000 rooms that each got a message, and 20,000 that were only looked at,
 * leave no key and less than a MiB of memory behind. Its own redis-server, so the keyspace and
 * INFO memory are this test's alone. The same holds for the inboxes of users who never connect.
 */
class RedisStateBoundTest {

    private static final int ROOMS = 100_000;
    private static final long MEMORY_BOUND_BYTES = 1024 * 1024;
    private static final int USERS = 2_000;

    @Test
    void aChurnOf100kRoomsLeavesNoKeyAndUnderAMibBehindOnceTheirRetentionHasPassed() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            RedisClient client = RedisClient.create(redis.uri());
            try (Engine node = shortRetention(redis, "churn")) {
                RedisCommands<String, String> direct = client.connect().sync();
                node.broker().start(new RecordingListener());
                long keysBefore = direct.dbsize();
                long memoryBefore = usedMemory(direct);

                inParallel(ROOMS, i -> {
                    node.broker().publish(LogId.room("churn-" + i),
                            new Draft("m" + i, "alice", System.currentTimeMillis(), "{\"text\":\"hello\"}", ""));
                    if (i % 5 == 0) {
                        LogId madeUp = LogId.room("made-up-" + i);
                        node.broker().top(madeUp);
                        node.broker().latest(madeUp, 50);
                        node.presence().members("made-up-" + i);
                    }
                });

                await().atMost(Duration.ofSeconds(20)).until(direct::dbsize, keys -> keys == keysBefore);
                await().atMost(Duration.ofSeconds(10)).until(() -> usedMemory(direct) - memoryBefore < MEMORY_BOUND_BYTES);
            } finally {
                client.shutdown();
            }
        }
    }

    /**
     * Private messages to users that never connect (made-up names) make a user log each; they expire like
     * room logs once retention has passed, so such messages cannot pile up in Redis without end.
     */
    @Test
    void inboxLogsOfUsersWhoNeverConnectLeaveNoKeyOnceTheirRetentionHasPassed() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            RedisClient client = RedisClient.create(redis.uri());
            try (Engine node = shortRetention(redis, "inboxes")) {
                RedisCommands<String, String> direct = client.connect().sync();
                node.broker().start(new RecordingListener());
                long keysBefore = direct.dbsize();
                long memoryBefore = usedMemory(direct);
                String body = "\"" + "x".repeat(16_000) + "\"";

                // one private message each (the WebSocket "private" command), and batches of 100 (PublishToUsers)
                inParallel(USERS, i -> node.broker().publish(LogId.user("made-up-" + i),
                        new Draft("p" + i, "mallory", System.currentTimeMillis(), body, "")));
                inParallel(USERS / 100, batch -> {
                    LinkedHashMap<LogId, Draft> drafts = new LinkedHashMap<>();
                    for (int i = 0; i < 100; i++) {
                        drafts.put(LogId.user("batch-" + batch + "-" + i),
                                new Draft("b" + batch + "-" + i, "system", System.currentTimeMillis(), body, ""));
                    }
                    node.broker().publishEach(drafts);
                });
                assertThat(direct.dbsize()).as("each message made a user log").isGreaterThan(keysBefore + USERS);

                await().atMost(Duration.ofSeconds(20)).until(direct::dbsize, keys -> keys == keysBefore);
                await().atMost(Duration.ofSeconds(10)).until(() -> usedMemory(direct) - memoryBefore < MEMORY_BOUND_BYTES);
            } finally {
                client.shutdown();
            }
        }
    }

    /** Direct engine calls from many threads: lettuce pipelines them on the node's one command connection. */
    private static void inParallel(int count, IntConsumer task) throws Exception {
        int threads = 32;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> slices = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                slices.add(pool.submit(() -> {
                    for (int i = first; i < count; i += threads) {
                        task.accept(i);
                    }
                    return null;
                }));
            }
            for (Future<?> slice : slices) {
                slice.get();
            }
        }
    }

    private static long usedMemory(RedisCommands<String, String> redis) {
        return redis.info("memory").lines()
                .filter(line -> line.startsWith("used_memory:"))
                .mapToLong(line -> Long.parseLong(line.substring("used_memory:".length()).strip()))
                .findFirst().orElseThrow();
    }

    /** A node whose logs keep messages for 1 s: a log that gets nothing more lives 2 s (max-age plus the margin). */
    private static Engine shortRetention(RedisServer redis, String node) {
        return RedisEngine.start(node, new RedisSettings(redis.uri(), "dino", Duration.ofSeconds(5), 1000,
                Duration.ofSeconds(1), Duration.ofMinutes(5), 100_000, Duration.ofSeconds(1), Duration.ofSeconds(10)),
                InstantSource.system());
    }
}
