package io.dino.loadgen;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dino.client.CloseStatus;
import io.dino.client.DinoClient;
import org.HdrHistogram.Histogram;

/**
 * {@code idle}: opens many authenticated connections that then do nothing, holds them, and closes them. With
 * {@code --node-pid} it measures what an idle connection costs the node: RSS and heap after a forced GC, before
 * and after opening the connections.
 */
final class IdleWorkload implements Workload {

    static final String NAME = "idle";
    static final String SUMMARY = "hold many idle authenticated connections; measure the node's memory per connection";

    static final Set<String> OPTIONS = union(Target.OPTIONS, Set.of("connections", "rate", "hold", "node-pid"));

    static final String USAGE = """
            Usage: java -jar dino-loadgen.jar idle [options]

            Mints one token per user (idle-0 .. idle-N-1) over gRPC, opens N connections at a bounded rate,
            authenticates each, holds them, then closes them and prints one JSON report on stdout.

            """ + Target.USAGE + """
              --connections N    connections to open (default 1000)
              --rate R           new connections per second, at most (default 500)
              --hold DURATION    how long to hold the connections once all are up, e.g. 10s, 2m (default 10s)
              --node-pid PID     the node's process id: force a GC in it (jcmd) and measure its RSS and heap
                                 before and after connecting; must run on the same host, as the same user
            """;

    /** The idle workload's settings. */
    record Config(Target target, int connections, int rate, Duration hold, OptionalLong nodePid) {

        static Config from(Options options) {
            return new Config(
                    Target.from(options),
                    options.positiveInt("connections", 1000),
                    options.positiveInt("rate", 500),
                    options.duration("hold", Duration.ofSeconds(10)),
                    options.optionalPositiveLong("node-pid"));
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Config config;

    IdleWorkload(Config config) {
        this.config = config;
    }

    @Override
    public ObjectNode run() throws Exception {
        long cpuStart = Cpu.processCpuNanos();
        NodeProbe probe = config.nodePid().isPresent() ? new NodeProbe(config.nodePid().getAsLong()) : null;

        List<String> users = IntStream.range(0, config.connections()).mapToObj(i -> "idle-" + i).toList();
        Log.info("minting %d tokens via %s", users.size(), config.target().grpc());
        Tokens.Minted minted;
        try (Tokens tokens = new Tokens(config.target().grpc(), config.target().apiKey())) {
            minted = tokens.mintAll(users);
        }
        logFailures(minted.failures());
        if (minted.failures().total() == users.size()) {
            // Nothing to measure; most likely a wrong --api-key or --grpc.
            throw new IllegalStateException("could not mint any token: " + minted.failures().counts());
        }

        NodeProbe.Sample before = null;
        if (probe != null) {
            before = probe.sample();
            Log.info("node %d before: RSS %d KiB, heap used %d KiB", probe.pid(), before.rssKiB(), before.heapUsedKiB());
        }

        ObjectNode report = MAPPER.createObjectNode();
        try (Connector connector = new Connector(config.target().url())) {
            Log.info("opening %d connections to %s at up to %d/s", config.connections(), config.target().url(), config.rate());
            Connector.Result result = connector.connectAll(minted.tokens(), config.rate(), i -> connector.builder());
            Log.info("%d connected, %d failed in %.1fs", result.connected(), result.failed(), seconds(result.elapsed().toNanos()));
            logFailures(result.failures());

            NodeProbe.Sample after = null;
            if (probe != null) {
                after = probe.sample();
                Log.info("node %d after: RSS %d KiB, heap used %d KiB", probe.pid(), after.rssKiB(), after.heapUsedKiB());
            }

            List<DinoClient> open = result.connectedClients();
            Log.info("holding %d connections for %s", open.size(), config.hold());
            TimeUnit.NANOSECONDS.sleep(config.hold().toNanos());
            int lost = countLost(open);

            Log.info("closing %d connections", open.size());
            connector.closeAll(open, Duration.ofSeconds(30));

            report.put("workload", NAME);
            report.put("connections", config.connections());
            report.put("connected", result.connected());
            report.put("failed", result.failed());
            report.put("connectSeconds", round3(seconds(result.elapsed().toNanos())));
            report.set("connectLatencyMs", latencyMillis(result.latencyMicros()));
            report.put("lostDuringHold", lost);
            if (probe != null) {
                report.set("node", nodeReport(before, after, result.connected()));
            }
        }
        report.set("generator", MAPPER.createObjectNode().put("cpuSeconds", round3(seconds(Cpu.processCpuNanos() - cpuStart))));
        return report;
    }

    /** Connections that ended while held (the server closed them or the network dropped them). */
    private static int countLost(List<DinoClient> clients) {
        Map<Integer, Integer> byCode = new TreeMap<>();
        for (DinoClient client : clients) {
            if (!client.isOpen()) {
                CloseStatus status = client.closeFuture().getNow(new CloseStatus(CloseStatus.ABNORMAL, ""));
                byCode.merge(status.code(), 1, Integer::sum);
            }
        }
        int lost = byCode.values().stream().mapToInt(Integer::intValue).sum();
        if (lost > 0) {
            Log.info("%d connections ended while held; close codes: %s", lost, byCode);
        }
        return lost;
    }

    static ObjectNode nodeReport(NodeProbe.Sample before, NodeProbe.Sample after, int connected) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("rssBeforeKiB", before.rssKiB());
        node.put("rssAfterKiB", after.rssKiB());
        node.put("heapBeforeKiB", before.heapUsedKiB());
        node.put("heapAfterKiB", after.heapUsedKiB());
        if (connected > 0) {
            node.put("rssPerConnectionBytes", (after.rssKiB() - before.rssKiB()) * 1024 / connected);
            node.put("heapPerConnectionBytes", (after.heapUsedKiB() - before.heapUsedKiB()) * 1024 / connected);
        } else {
            node.putNull("rssPerConnectionBytes");
            node.putNull("heapPerConnectionBytes");
        }
        return node;
    }

    private static ObjectNode latencyMillis(Histogram micros) {
        ObjectNode latency = MAPPER.createObjectNode();
        if (micros.getTotalCount() == 0) {
            return latency;
        }
        latency.put("p50", round3(micros.getValueAtPercentile(50) / 1000.0));
        latency.put("p99", round3(micros.getValueAtPercentile(99) / 1000.0));
        latency.put("max", round3(micros.getMaxValue() / 1000.0));
        return latency;
    }

    private static void logFailures(Failures failures) {
        failures.counts().forEach((reason, count) -> Log.info("%d x %s", count, reason));
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static double round3(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
