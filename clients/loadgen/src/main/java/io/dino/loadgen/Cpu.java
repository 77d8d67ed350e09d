package io.dino.loadgen;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/** CPU time this process has used, to report what generating the load cost. */
final class Cpu {

    private Cpu() {
    }

    static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElseGet(Cpu::fromMxBean);
    }

    private static long fromMxBean() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }
}
