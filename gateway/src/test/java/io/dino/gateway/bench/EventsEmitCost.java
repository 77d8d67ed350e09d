package io.dino.gateway.bench;

import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.redis.RedisEngine;
import io.dino.gateway.engine.redis.RedisSettings;
import io.dino.gateway.events.DomainEvent;
import io.dino.gateway.events.EventType;
import io.dino.gateway.ops.EventsOut;
import io.dino.gateway.ops.GatewayMetrics;
import io.helidon.metrics.api.Metrics;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Probe of what emitting a {@code message} domain event costs with the Redis engine (docs/benchmarks.md, "Events
 * out"): emits rounds of 50,000 MESSAGE events (100-byte bodies) through {@link EventsOut} into a Redis engine's
 * events stream, paced so the queue never fills, and prints per round the time on the caller's thread and the
 * process CPU per event (caller, encoding, appending). Not a test: run it by hand against a private redis-server,
 * {@code java -cp "gateway/target/classes:gateway/target/libs/*:gateway/target/test-classes"
 * io.dino.gateway.bench.EventsEmitCost 18798 8}, and read Redis's own CPU from /proc/PID/stat around it.
 */
public final class EventsEmitCost {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        int perRound = 50_000;
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        GatewayMetrics metrics = new GatewayMetrics(Metrics.globalRegistry(), "bench");
        metrics.eventWatchers(() -> 0);
        Engine engine = RedisEngine.start("bench", new RedisSettings("redis://127.0.0.1:" + port, "dino", Duration.ofSeconds(2),
                100, Duration.ZERO, Duration.ofMinutes(5), 10_000, Duration.ofSeconds(5), Duration.ofSeconds(30)),
                InstantSource.system());
        EventsOut out = new EventsOut("bench", engine.events(), metrics);
        String body = "{\"text\":\"" + "x".repeat(100) + "\"}";
        var redis = io.lettuce.core.RedisClient.create("redis://127.0.0.1:" + port).connect().sync();
        long appended = 0;
        for (int round = 0; round < rounds; round++) {
            long cpu0 = os.getProcessCpuTime();
            long callerNanos = 0;
            for (int i = 0; i < perRound; i++) {
                long t0 = System.nanoTime();
                Map<String, String> data = new LinkedHashMap<>(8);
                data.put("messageId", "01KB" + i);
                data.put("epoch", "k3x9q2mw");
                data.put("offset", Long.toString(i));
                data.put("body", body);
                data.put("source", "session");
                out.emit(new DomainEvent(EventType.MESSAGE, System.currentTimeMillis(), "room-" + (i % 10), "user-" + (i % 10), "", data));
                callerNanos += System.nanoTime() - t0;
                if ((i & 1023) == 1023) {
                    while (redis.xlen("dino:events") < appended + i - 30_000) {
                        Thread.sleep(1);
                    }
                }
            }
            appended += perRound;
            while (redis.xlen("dino:events") < appended) {
                Thread.sleep(1);
            }
            long cpu1 = os.getProcessCpuTime();
            System.out.printf("round %d: caller %.0f ns/event, process CPU %.1f us/event (caller + encoding + XADD pipelining)%n",
                    round, callerNanos / (double) perRound, (cpu1 - cpu0) / 1000.0 / perRound);
        }
        engine.close();
        System.exit(0);
    }
}
