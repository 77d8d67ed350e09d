package io.dino.gateway.engine.redis;

import io.dino.gateway.cluster.RedisServer;
import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.RecordingListener;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The inbox reader tells the node's meters its lag and its failed reads (dino_inbox_lag_seconds, dino_inbox_read_failures_total). */
class InboxMetersTest {

    private static final Duration AHEAD = Duration.ofSeconds(30);

    @Test
    void theReaderReportsHowLongItsEntriesWaitedAndEveryFailedRead() {
        AtomicLong lag = new AtomicLong(-1);
        AtomicInteger failures = new AtomicInteger();
        // the node's clock runs 30 s ahead of Redis's: every entry it reads looks 30 s old
        InstantSource ahead = () -> Instant.now().plus(AHEAD);
        try (RedisServer redis = RedisServer.start()) {
            Engine engine = RedisEngine.start("lagging", new RedisSettings(redis.uri(), "meters", Duration.ofSeconds(2), 100,
                            Duration.ZERO, Duration.ofMinutes(5), 10_000, Duration.ofMillis(200), Duration.ofSeconds(10)),
                    ahead, RedisEngine.EventSettings.DEFAULT, new RedisEngine.Meters(lag::set, failures::incrementAndGet));
            try {
                engine.broker().start(new RecordingListener());
                try (var raw = io.lettuce.core.RedisClient.create(redis.uri()).connect()) {
                    // an answer to nobody's request: read, then ignored
                    raw.sync().xadd(new Keys("meters").inbox("lagging"), Map.of("a", "nobody", "n", "x", "s", "0"));
                }
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(lag.get()).isBetween(AHEAD.toMillis() - 1_000, AHEAD.toMillis() + 10_000));
                // a quiet inbox: the next empty read reports no lag
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(lag.get()).isZero());
                assertThat(failures).hasValue(0);

                redis.stop();
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(failures.get()).isPositive());
            } finally {
                engine.close();
            }
        }
    }
}
