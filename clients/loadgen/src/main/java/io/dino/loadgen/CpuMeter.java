package io.dino.loadgen;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * CPU used over an interval, by this process (the generator), optionally by the node's process, and by the
 * whole host ({@code /proc/stat}), to tell whether the generator, the node or the machine ran out of CPU.
 */
final class CpuMeter {

    /**
     * A reading at one instant. Negative fields: not available.
     *
     * @param threadNanos CPU time of each live platform thread of this process, by thread id (name, nanos)
     */
    record Reading(long wallNanos, long generatorNanos, long nodeNanos, long hostBusyTicks, long hostTotalTicks,
                   Map<Long, ThreadTime> threadNanos) {

        Reading(long wallNanos, long generatorNanos, long nodeNanos, long hostBusyTicks, long hostTotalTicks) {
            this(wallNanos, generatorNanos, nodeNanos, hostBusyTicks, hostTotalTicks, Map.of());
        }
    }

    record ThreadTime(String name, long nanos) {
    }

    private final OptionalLong nodePid;

    CpuMeter(OptionalLong nodePid) {
        this.nodePid = nodePid;
    }

    Reading read() {
        long[] host = hostTicks();
        long node = nodePid.isPresent()
                ? ProcessHandle.of(nodePid.getAsLong()).flatMap(p -> p.info().totalCpuDuration()).map(Duration::toNanos).orElse(-1L)
                : -1L;
        return new Reading(System.nanoTime(), Cpu.processCpuNanos(), node, host[0], host[1], threadTimes());
    }

    private static Map<Long, ThreadTime> threadTimes() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isThreadCpuTimeSupported() || !threads.isThreadCpuTimeEnabled()) {
            return Map.of();
        }
        Map<Long, ThreadTime> times = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null) {
                long nanos = threads.getThreadCpuTime(info.getThreadId());
                if (nanos >= 0) {
                    times.put(info.getThreadId(), new ThreadTime(info.getThreadName(), nanos));
                }
            }
        }
        return times;
    }

    /**
     * {@code generatorCpuSeconds}, {@code generatorCpuCores} (CPU seconds per wall second: 2.0 = two cores
     * busy), the busiest generator thread and its cores, {@code nodeCpuCores} with a node pid, and
     * {@code hostCpuBusy} (share of all cores busy, 0..1).
     */
    static void put(ObjectNode report, Reading from, Reading to) {
        put(report, from, to, true);
    }

    /**
     * As above; {@code threads} false leaves out the busiest thread (for spans over which the I/O threads ended,
     * such as a whole run).
     */
    static void put(ObjectNode report, Reading from, Reading to, boolean threads) {
        double wall = (to.wallNanos() - from.wallNanos()) / 1e9;
        double generator = (to.generatorNanos() - from.generatorNanos()) / 1e9;
        report.put("generatorCpuSeconds", Json.round3(generator));
        report.put("generatorCpuCores", wall > 0 ? Json.round3(generator / wall) : 0);
        if (from.nodeNanos() >= 0 && to.nodeNanos() >= 0 && wall > 0) {
            report.put("nodeCpuCores", Json.round3((to.nodeNanos() - from.nodeNanos()) / 1e9 / wall));
        }
        busiestThread(from, to).filter(busiest -> threads).ifPresent(busiest -> {
            report.put("generatorBusiestThread", busiest.name());
            report.put("generatorBusiestThreadCores", wall > 0 ? Json.round3(busiest.nanos() / 1e9 / wall) : 0);
        });
        long total = to.hostTotalTicks() - from.hostTotalTicks();
        if (from.hostTotalTicks() >= 0 && total > 0) {
            report.put("hostCpuBusy", Json.round3((double) (to.hostBusyTicks() - from.hostBusyTicks()) / total));
        }
    }

    /**
     * The platform thread that used the most CPU between two readings (its name and CPU nanos): one near a whole
     * core, such as an HttpClient's selector thread, is where the generator saturates first.
     */
    static Optional<ThreadTime> busiestThread(Reading from, Reading to) {
        ThreadTime busiest = null;
        for (Map.Entry<Long, ThreadTime> entry : to.threadNanos().entrySet()) {
            ThreadTime before = from.threadNanos().get(entry.getKey());
            long used = entry.getValue().nanos() - (before == null ? 0 : before.nanos());
            if (busiest == null || used > busiest.nanos()) {
                busiest = new ThreadTime(entry.getValue().name(), used);
            }
        }
        return Optional.ofNullable(busiest);
    }

    /** {busy, total} jiffies of all CPUs from the first line of /proc/stat; {-1, -1} if unavailable. */
    private static long[] hostTicks() {
        try {
            return parseProcStat(Files.readString(Path.of("/proc/stat")));
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }

    /** {busy, total} from the {@code cpu} line: idle and iowait are not busy. */
    static long[] parseProcStat(String stat) {
        String line = stat.lines().filter(l -> l.startsWith("cpu ")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no cpu line in /proc/stat"));
        String[] fields = line.trim().split("\\s+");
        long total = 0;
        long idle = 0;
        // cpu user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
        for (int i = 1; i < fields.length && i <= 8; i++) {
            long value = Long.parseLong(fields[i]);
            total += value;
            if (i == 4 || i == 5) {
                idle += value;
            }
        }
        return new long[] {total - idle, total};
    }
}
