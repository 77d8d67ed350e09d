import io.dino.gateway.engine.Draft;
import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.redis.RedisEngine;
import io.dino.gateway.engine.redis.RedisSettings;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Engine-only publish throughput of the redis engine: N virtual threads call {@code Broker.publish} in a loop
 * (10 rooms, an idempotency key per message, as {@code loadgen publish} sends), no gRPC and no load generator,
 * so the figure is the engine and Redis alone. Warms up 3 s, then measures for the given seconds.
 *
 * <pre>
 * java -cp "gateway/target/dino-gateway.jar:gateway/target/libs/*" tools/bench/EnginePublishBench.java \
 *     redis://127.0.0.1:6399 64 10
 * </pre>
 * Prints publishes/s, failures, the JVM's CPU (cores) and publishes per CPU-second (docs/benchmarks.md).
 */
public class EnginePublishBench {
    public static void main(String[] args) throws Exception {
        String uri = args[0];
        int concurrency = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int rooms = 10;
        RedisSettings settings = new RedisSettings(uri, "dino", Duration.ofSeconds(2), 1000, Duration.ofMinutes(10),
                Duration.ofMinutes(5), 100_000, Duration.ofSeconds(5), Duration.ofSeconds(30));
        Engine engine = RedisEngine.start("bench", settings, InstantSource.system());
        engine.broker().start(new io.dino.gateway.engine.DeliveryListener() {
            public void onPublication(io.dino.gateway.engine.Publication p) { }
            public void onBroadcast(io.dino.gateway.engine.Publication p) { }
            public void onMembership(String room, String user, boolean joined) { }
            public int onControl(io.dino.gateway.engine.Control c) { return 0; }
        });
        LongAdder done = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean stop = new AtomicBoolean(false);
        var threads = Executors.newVirtualThreadPerTaskExecutor();
        for (int t = 0; t < concurrency; t++) {
            int id = t;
            threads.submit(() -> {
                long n = 0;
                while (!stop.get()) {
                    n++;
                    String key = id + "-" + n;
                    try {
                        engine.broker().publish(LogId.room("bench-" + (n % rooms)),
                                new Draft("m" + key, "backend", System.currentTimeMillis(), "{\"p\":" + id + ",\"s\":" + n + ",\"t\":" + System.nanoTime() + "}", key));
                        if (measuring.get()) done.increment();
                    } catch (RuntimeException e) {
                        if (measuring.get()) failed.increment();
                    }
                }
            });
        }
        Thread.sleep(3000);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        measuring.set(true);
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        long t1 = System.nanoTime();
        long cpu1 = os.getProcessCpuTime();
        stop.set(true);
        threads.shutdown();
        threads.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        double secs = (t1 - t0) / 1e9;
        System.out.printf("publishes/s=%.0f failed=%d jvmCpuCores=%.2f publishesPerCpuSecond=%.0f%n",
                done.sum() / secs, failed.sum(), (cpu1 - cpu0) / 1e9 / secs, done.sum() / ((cpu1 - cpu0) / 1e9));
        engine.close();
        System.exit(0);
    }
}
