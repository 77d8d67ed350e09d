package io.dino.loadgen;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OpMeterTest {

    private final FakeTicker ticker = new FakeTicker(1_000_000);

    @Test
    void timesOnlyBetweenStartAndStop() {
        OpMeter meter = new OpMeter(ticker, null);

        for (long micros : new long[] {500, 1000, 1500, 2000}) {
            ticker.advance(7_000_000); // untimed work between operations
            meter.start();
            ticker.advance(micros * 1000);
            meter.stop();
        }
        ObjectNode report = meter.report();

        assertThat(report.get("ops").asLong()).isEqualTo(4);
        assertThat(report.get("latencyMs").get("p50").asDouble()).isEqualTo(1.0);
        assertThat(report.get("latencyMs").get("max").asDouble()).isEqualTo(2.0);
        assertThat(report.get("timedSeconds").asDouble()).isEqualTo(0.005);
        assertThat(report.get("opsPerSecond").asDouble()).isEqualTo(800.0);
        assertThat(report.has("redis")).isFalse();
    }

    @Test
    void countsRedisWorkInsideEachTimedOperationWithoutItsOwnInfoCalls() {
        // Readings as INFO would give them: before and after each of two operations; the leave between them
        // (2 evalsha, 2 srem) falls outside both windows.
        Deque<RedisCounters> readings = new ArrayDeque<>();
        readings.add(new RedisCounters(100, Map.of("info", 10L, "evalsha", 50L)));
        readings.add(new RedisCounters(104, Map.of("info", 11L, "evalsha", 52L, "sadd", 1L, "hget", 4L)));
        readings.add(new RedisCounters(110, Map.of("info", 12L, "evalsha", 54L, "sadd", 1L, "hget", 4L, "srem", 2L)));
        readings.add(new RedisCounters(114, Map.of("info", 13L, "evalsha", 56L, "sadd", 2L, "hget", 8L, "srem", 2L, "xread", 1L)));
        OpMeter meter = new OpMeter(ticker, readings::removeFirst);

        meter.start();
        ticker.advance(1_000_000);
        meter.stop();
        meter.start();
        ticker.advance(1_000_000);
        meter.stop();
        ObjectNode redis = (ObjectNode) meter.report().get("redis");

        assertThat(readings).isEmpty();
        assertThat(redis.get("readsPerOp").asDouble()).isEqualTo(3.0);
        assertThat(redis.get("commandsPerOp").asDouble()).isEqualTo(7.5);
        assertThat(redis.get("commandsPerOpByName").toString()).isEqualTo("{\"evalsha\":2.0,\"hget\":4.0,\"sadd\":1.0,\"xread\":0.5}");
    }

    @Test
    void anOperationThatNeverStoppedIsNotCounted() {
        OpMeter meter = new OpMeter(ticker, null);

        meter.start(); // failed before its stop
        ticker.advance(5_000_000);
        meter.start();
        ticker.advance(1_000_000);
        meter.stop();

        assertThat(meter.report().get("ops").asLong()).isEqualTo(1);
        assertThat(meter.report().get("latencyMs").get("max").asDouble()).isEqualTo(1.0);
    }
}
