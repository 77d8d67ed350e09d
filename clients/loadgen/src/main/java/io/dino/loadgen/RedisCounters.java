package io.dino.loadgen;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Redis's server-wide work counters, from {@code INFO stats commandstats}: socket reads
 * ({@code total_reads_processed}) and calls per command name ({@code cmdstat_<name>:calls=N}). Differences of
 * two readings tell what Redis did in between, whoever asked.
 *
 * <p>Redis counts a command run inside a Lua script under its own name too (checked on 7.0: an EVALSHA whose
 * script calls HGET twice adds one {@code evalsha} and two {@code hget}), so calls are commands Redis
 * executed, not commands clients sent. Reads do not include what scripts run: a command sent on its own is
 * one read, a pipelined batch one or more, so round trips ≤ reads ≤ commands sent.
 */
record RedisCounters(long reads, Map<String, Long> calls) {

    static final RedisCounters ZERO = new RedisCounters(0, Map.of());

    /** What the INFO call that takes the second of two readings adds to their difference. */
    static final RedisCounters OWN_INFO = new RedisCounters(1, Map.of("info", 1L));

    private static final String READS = "total_reads_processed:";
    private static final String COMMAND = "cmdstat_";

    RedisCounters {
        calls = Map.copyOf(calls);
    }

    static RedisCounters parse(String info) {
        long reads = -1;
        Map<String, Long> calls = new TreeMap<>();
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(READS)) {
                reads = Long.parseLong(line.substring(READS.length()).strip());
            } else if (line.startsWith(COMMAND)) {
                int colon = line.indexOf(':');
                String stats = line.substring(colon + 1);
                if (!stats.startsWith("calls=")) {
                    throw new IllegalArgumentException("unexpected commandstats line: " + line);
                }
                int comma = stats.indexOf(',');
                calls.put(line.substring(COMMAND.length(), colon),
                        Long.parseLong(stats.substring("calls=".length(), comma < 0 ? stats.length() : comma)));
            }
        }
        if (reads < 0) {
            throw new IllegalArgumentException("INFO has no total_reads_processed (Redis 6 or newer needed)");
        }
        return new RedisCounters(reads, calls);
    }

    /** This reading minus an earlier one; commands whose count did not change are left out. */
    RedisCounters minus(RedisCounters earlier) {
        Map<String, Long> delta = new TreeMap<>();
        calls.forEach((name, count) -> delta.put(name, count - earlier.calls.getOrDefault(name, 0L)));
        earlier.calls.forEach((name, count) -> delta.putIfAbsent(name, -count));
        delta.values().removeIf(count -> count == 0);
        long readsDelta = reads - earlier.reads;
        if (readsDelta < 0 || delta.values().stream().anyMatch(count -> count < 0)) {
            // A restart or CONFIG RESETSTAT between the readings: the difference means nothing.
            throw new IllegalStateException("Redis counters went backwards (restarted, or CONFIG RESETSTAT?)");
        }
        return new RedisCounters(readsDelta, delta);
    }

    RedisCounters plus(RedisCounters other) {
        Map<String, Long> sum = new TreeMap<>(calls);
        other.calls.forEach((name, count) -> sum.merge(name, count, Long::sum));
        return new RedisCounters(reads + other.reads, sum);
    }

    /** Reads and calls per operation (calls by command name, sorted, and in all), to three decimals. */
    ObjectNode perOperation(long operations) {
        ObjectNode report = Json.object();
        if (operations == 0) {
            return report;
        }
        report.put("readsPerOp", Json.round3((double) reads / operations));
        report.put("commandsPerOp", Json.round3((double) calls.values().stream().mapToLong(Long::longValue).sum() / operations));
        ObjectNode byName = report.putObject("commandsPerOpByName");
        new TreeMap<>(calls).forEach((name, count) -> byName.put(name, Json.round3((double) count / operations)));
        return report;
    }
}
