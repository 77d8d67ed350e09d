package io.dino.loadgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures a node's memory from outside: resident set size from {@code /proc/PID/status}, and Java heap in use
 * after a forced full GC, through {@code jcmd}. Running the GC first makes two samples comparable: without it
 * the heap figure is mostly garbage that happens not to be collected yet.
 */
final class NodeProbe {

    /** One measurement, in KiB. */
    record Sample(long rssKiB, long heapUsedKiB) {
    }

    private static final Pattern VM_RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+)\\s+kB");
    // "used 10598K" (G1, Parallel, Serial generations; ZGC's "used 62M"); sub-space lines say "30% used" instead.
    private static final Pattern USED_AFTER = Pattern.compile("\\bused\\s+(\\d+)([KMG])\\b");
    // Shenandoah: "408M committed, 30720K used".
    private static final Pattern USED_BEFORE = Pattern.compile("\\b(\\d+)([KMG])\\s+used\\b");
    private static final long JCMD_TIMEOUT_SECONDS = 120;
    // G1 (and others) give freed heap back to the OS in a background thread after the GC, so RSS keeps
    // falling for a moment after GC.run returns. Read it until it stops changing.
    private static final Duration RSS_SETTLE_INTERVAL = Duration.ofMillis(250);
    private static final Duration RSS_SETTLE_MAX = Duration.ofSeconds(10);
    private static final double RSS_SETTLED_CHANGE = 0.002;

    private final long pid;
    private final Path jcmd;

    NodeProbe(long pid) {
        this.pid = pid;
        this.jcmd = jcmdBesideThisJava();
        if (!Files.isDirectory(Path.of("/proc", Long.toString(pid)))) {
            throw new UsageException("no process with pid " + pid + " (or no /proc)");
        }
    }

    long pid() {
        return pid;
    }

    /**
     * Forces a GC in the node, then reads its heap in use and its RSS once that has settled. Takes as long as
     * the GC plus up to 10 seconds.
     */
    Sample sample() throws IOException, InterruptedException {
        jcmd("GC.run");
        long heap = parseHeapUsedKiB(jcmd("GC.heap_info"));
        return new Sample(settledRssKiB(), heap);
    }

    private long settledRssKiB() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + RSS_SETTLE_MAX.toNanos();
        long previous = readRssKiB();
        while (System.nanoTime() < deadline) {
            Thread.sleep(RSS_SETTLE_INTERVAL);
            long current = readRssKiB();
            if (Math.abs(current - previous) <= previous * RSS_SETTLED_CHANGE) {
                return current;
            }
            previous = current;
        }
        return previous;
    }

    private long readRssKiB() throws IOException {
        return parseVmRssKiB(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
    }

    /** The {@code VmRSS} line of a {@code /proc/PID/status} text, in KiB. */
    static long parseVmRssKiB(String status) {
        Matcher matcher = VM_RSS.matcher(status);
        if (!matcher.find()) {
            throw new IllegalArgumentException("no VmRSS line in /proc status:\n" + status);
        }
        return Long.parseLong(matcher.group(1));
    }

    /**
     * Heap in use from {@code jcmd PID GC.heap_info}, in KiB. Handles the layouts of the JDK collectors: one
     * total line (G1, ZGC, Shenandoah) or one line per generation (Parallel, Serial), which are summed. Lines
     * from Metaspace on describe non-heap memory and are ignored.
     */
    static long parseHeapUsedKiB(String heapInfo) {
        long totalKiB = 0;
        boolean found = false;
        for (String line : heapLines(heapInfo)) {
            Matcher matcher = USED_AFTER.matcher(line);
            if (!matcher.find()) {
                matcher = USED_BEFORE.matcher(line);
                if (!matcher.find()) {
                    continue;
                }
            }
            totalKiB += toKiB(Long.parseLong(matcher.group(1)), matcher.group(2));
            found = true;
        }
        if (!found) {
            throw new IllegalArgumentException("no heap usage in GC.heap_info output:\n" + heapInfo);
        }
        return totalKiB;
    }

    private static List<String> heapLines(String heapInfo) {
        List<String> lines = new ArrayList<>();
        for (String line : heapInfo.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("Metaspace") || trimmed.startsWith("class space")) {
                break;
            }
            lines.add(line);
        }
        return lines;
    }

    private static long toKiB(long amount, String unit) {
        return switch (unit) {
            case "K" -> amount;
            case "M" -> amount * 1024;
            default -> amount * 1024 * 1024;
        };
    }

    /** Runs {@code jcmd PID command} and returns its output; fails if jcmd fails or reports an error. */
    private String jcmd(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(JCMD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("jcmd " + pid + " " + command + " did not finish in " + JCMD_TIMEOUT_SECONDS + "s");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0 || text.contains("Exception")) {
            throw new IOException("jcmd " + pid + " " + command + " failed (exit " + process.exitValue() + "):\n" + text);
        }
        return text;
    }

    // jcmd from the JDK running this program: same version family as the JVM we measure in the usual setup, and
    // it works without a JDK on the PATH.
    private static Path jcmdBesideThisJava() {
        return ProcessHandle.current().info().command()
                .map(java -> Path.of(java).resolveSibling("jcmd"))
                .filter(Files::isExecutable)
                .orElse(Path.of("jcmd"));
    }
}
