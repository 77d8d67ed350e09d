package io.dino.loadgen;

import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

/**
 * Measures operations run one at a time: the time from {@link #start()} to {@link #stop()}, and, given a way
 * to read Redis's counters, what Redis did in that time. The counters are read just before the start and just
 * after the stop, so an operation's untimed parts (such as leaving the room a timed join entered) are not
 * counted; whatever else Redis did meanwhile (a node's heartbeat, its inbox reader) is.
 */
final class OpMeter implements OpTimer {

    private final Ticker ticker;
    private final Supplier<RedisCounters> redis;
    private final Histogram micros = new Histogram(3);
    private RedisCounters redisWork = RedisCounters.ZERO;
    private RedisCounters before;
    private long startedAt;
    private long timedNanos;

    /** @param redis reads Redis's counters; null to count nothing */
    OpMeter(Ticker ticker, Supplier<RedisCounters> redis) {
        this.ticker = ticker;
        this.redis = redis;
    }

    @Override
    public void start() {
        if (redis != null) {
            before = redis.get();
        }
        startedAt = ticker.nanoTime();
    }

    @Override
    public void stop() {
        long elapsed = ticker.nanoTime() - startedAt;
        micros.recordValue(Math.max(0, elapsed / 1000));
        timedNanos += elapsed;
        if (redis != null) {
            redisWork = redisWork.plus(redis.get().minus(before).minus(RedisCounters.OWN_INFO));
        }
    }

    /**
     * {@code ops} (timed operations), {@code latencyMs} (p50/p90/p99/max), {@code opsPerSecond} (what one
     * client doing them back to back would reach: ops / timed seconds), {@code timedSeconds}, and with Redis
     * counters {@code redis}: reads and commands per operation.
     */
    ObjectNode report() {
        long ops = micros.getTotalCount();
        double seconds = timedNanos / 1e9;
        ObjectNode report = Json.object();
        report.put("ops", ops);
        report.set("latencyMs", Json.latencyMillis(micros));
        report.put("opsPerSecond", Json.round1(ops == 0 ? 0 : ops / seconds));
        report.put("timedSeconds", Json.round3(seconds));
        if (redis != null) {
            report.set("redis", redisWork.perOperation(ops));
        }
        return report;
    }
}
