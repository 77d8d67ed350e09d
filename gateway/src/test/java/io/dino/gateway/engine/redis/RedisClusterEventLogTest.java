package io.dino.gateway.engine.redis;

import io.dino.gateway.cluster.RedisCluster;
import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.EventLog;
import io.dino.gateway.engine.EventLogContract;
import io.dino.gateway.events.DomainEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The events stream passes the contract on a Redis Cluster of three masters: one key, so the appends (a script
 * over that key) and every watcher's XREAD go to the master of its slot.
 */
class RedisClusterEventLogTest extends EventLogContract {

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
    protected EventLog newLog(long maxLength) {
        Engine engine = RedisEngine.start("node-a", new RedisSettings(null, "ce" + PREFIXES.incrementAndGet(),
                        Duration.ofSeconds(2), 100, Duration.ZERO, Duration.ofMinutes(5), 10_000, Duration.ofMillis(200),
                        Duration.ofSeconds(30)).onCluster(cluster.seeds(), Duration.ofSeconds(1)), InstantSource.system(),
                new RedisEngine.EventSettings("", maxLength, 10_000, count -> {
                }));
        EventLog log = engine.events();
        return new EventLog() {
            @Override
            public boolean append(String node, DomainEvent event) {
                return log.append(node, event);
            }

            @Override
            public String last() {
                return log.last();
            }

            @Override
            public Reader reader() {
                return log.reader();
            }

            @Override
            public void close() {
                engine.close();  // closes the log first
            }
        };
    }
}
