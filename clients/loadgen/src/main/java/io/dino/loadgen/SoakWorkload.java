package io.dino.loadgen;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dino.api.v1.BackendGrpc;
import io.dino.api.v1.ListOnlineUsersRequest;
import io.dino.client.DinoClient;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;

/**
 * {@code soak}: holds N connections, each in a room, for a long time while replacing some every second — half
 * of them (by default) dropped abruptly, without a WebSocket close, as a dead laptop or mobile link would — and
 * samples what the node holds over time: its connection gauge, how many users it lists online, heap and RSS.
 * A node that leaks per connection or keeps ghost sessions shows a rising curve; at the end every connection is
 * closed and the node must come back to zero.
 */
final class SoakWorkload implements Workload {

    static final String NAME = "soak";
    static final String SUMMARY = "hold connections with churn (abrupt disconnects included); sample the node's gauges and memory over time";

    static final Set<String> OPTIONS = union(Target.OPTIONS,
            Set.of("connections", "rate", "duration", "churn", "abrupt", "rooms", "sample", "metrics", "node-pid"));

    static final String USAGE = """
            Usage: java -jar dino-loadgen.jar soak [options]

            Opens N connections (users soak-0 .. soak-N-1, each joins one of R rooms), holds them for --duration
            while replacing --churn of them per second (a fraction --abrupt dropped without a close frame, the
            rest closed normally; each is replaced by a new connection of the same user), and every --sample
            records the node's dino_connections gauge, the users ListOnlineUsers reports, the open connections
            as this generator sees them and, with --node-pid, the node's heap after a forced GC and its RSS.
            At the end it closes every connection and waits up to 60 s for the node to report none. Prints one
            JSON report on stdout.

            """ + Target.USAGE + """
              --connections N    connections held (default 1000)
              --rate R           new connections per second while opening them, at most (default 500)
              --duration D       how long to hold them with churn, e.g. 30m (default 60s)
              --churn C          connections replaced per second (default 10)
              --abrupt F         fraction of the replaced ones dropped without a close frame, 0-1 (default 0.5)
              --rooms R          rooms the connections are spread over (default 10)
              --sample D         sampling interval (default 10s)
              --metrics URL      the node's Prometheus endpoint (default: http://HOST:PORT/observe/metrics of --url)
              --node-pid PID     the node's process id, for heap and RSS (same host, same user)
            """;

    /** The soak workload's settings. */
    record Config(Target target, int connections, int rate, Duration duration, int churn, double abrupt, int rooms,
                  Duration sample, URI metrics, OptionalLong nodePid) {

        static Config from(Options options) {
            Target target = Target.from(options);
            double abrupt = options.nonNegativeDouble("abrupt", 0.5);
            if (abrupt > 1) {
                throw new UsageException("--abrupt must be between 0 and 1, got " + abrupt);
            }
            URI url = target.url();
            String defaultMetrics = "http://" + url.getHost() + ":" + url.getPort() + "/observe/metrics";
            return new Config(target,
                    options.positiveInt("connections", 1000),
                    options.positiveInt("rate", 500),
                    options.duration("duration", Duration.ofSeconds(60)),
                    options.nonNegativeInt("churn", 10),
                    abrupt,
                    options.positiveInt("rooms", 10),
                    options.duration("sample", Duration.ofSeconds(10)),
                    options.uri("metrics", defaultMetrics, Set.of("http", "https")),
                    options.optionalPositiveLong("node-pid"));
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern CONNECTIONS_GAUGE = Pattern.compile("(?m)^dino_connections(?:\\{[^}]*})?\\s+([0-9.eE+-]+)$");
    private static final Duration SETTLE = Duration.ofSeconds(60);

    private final Config config;
    private final HttpClient http = HttpClient.newHttpClient();

    SoakWorkload(Config config) {
        this.config = config;
    }

    @Override
    public ObjectNode run() throws Exception {
        NodeProbe probe = config.nodePid().isPresent() ? new NodeProbe(config.nodePid().getAsLong()) : null;
        List<String> users = IntStream.range(0, config.connections()).mapToObj(i -> "soak-" + i).toList();
        List<String> tokens;
        try (Tokens minter = new Tokens(config.target().grpc(), config.target().apiKey())) {
            Tokens.Minted minted = minter.mintAll(users);
            if (minted.failures().total() > 0) {
                throw new IllegalStateException("could not mint every token: " + minted.failures().counts());
            }
            tokens = minted.tokens();
        }
        ManagedChannel channel = NettyChannelBuilder.forTarget(config.target().grpc()).usePlaintext().build();
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), config.target().apiKey());
        BackendGrpc.BackendBlockingStub backend = BackendGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));

        ArrayNode samples = MAPPER.createArrayNode();
        ObjectNode report = MAPPER.createObjectNode();
        long started = System.nanoTime();
        int replaced = 0;
        int abrupt = 0;
        int replacementFailures = 0;
        try (Connector connector = new Connector(config.target().url())) {
            samples.add(sample(0, 0, backend, probe));
            Connector.Result opened = connector.connectAll(tokens, config.rate(), i -> connector.builder());
            Log.info("%d connected, %d failed", opened.connected(), opened.failed());
            List<DinoClient> clients = new ArrayList<>(opened.clients());
            for (int i = 0; i < clients.size(); i++) {
                DinoClient client = clients.get(i);
                if (client != null) {
                    client.join(room(i)).get(30, TimeUnit.SECONDS);
                }
            }
            long holdStart = System.nanoTime();
            long nextSample = holdStart + config.sample().toNanos();
            long nextChurn = holdStart + TimeUnit.SECONDS.toNanos(1);
            int cursor = 0;
            samples.add(sample(seconds(holdStart - started), open(clients), backend, probe));
            while (System.nanoTime() - holdStart < config.duration().toNanos()) {
                long now = System.nanoTime();
                if (now - nextChurn >= 0) {
                    List<CompletableFuture<Void>> replacements = new ArrayList<>();
                    for (int k = 0; k < config.churn(); k++, cursor = (cursor + 1) % clients.size()) {
                        int index = cursor;
                        DinoClient old = clients.get(index);
                        if (old != null && ThreadLocalRandom.current().nextDouble() < config.abrupt()) {
                            old.abort();
                            abrupt++;
                        } else if (old != null) {
                            old.close();
                        }
                        replacements.add(connector.builder().connect(tokens.get(index))
                                .thenCompose(client -> client.join(room(index)).thenApply(joined -> client))
                                .handle((client, error) -> {
                                    clients.set(index, error == null ? client : null);
                                    return null;
                                }));
                    }
                    for (CompletableFuture<Void> replacement : replacements) {
                        replacement.get(60, TimeUnit.SECONDS);
                    }
                    replaced += replacements.size();
                    replacementFailures = (int) clients.stream().filter(java.util.Objects::isNull).count();
                    nextChurn += TimeUnit.SECONDS.toNanos(1);
                }
                if (now - nextSample >= 0) {
                    ObjectNode point = sample(seconds(now - started), open(clients), backend, probe);
                    samples.add(point);
                    Log.info("t=%.0fs %s", seconds(now - started), point);
                    nextSample += config.sample().toNanos();
                }
                long wake = Math.min(nextChurn, nextSample);
                TimeUnit.NANOSECONDS.sleep(Math.max(0, wake - System.nanoTime()));  // pacing, not synchronisation
            }
            List<DinoClient> stillOpen = clients.stream().filter(java.util.Objects::nonNull).toList();
            connector.closeAll(stillOpen, Duration.ofSeconds(30));
            long settleDeadline = System.nanoTime() + SETTLE.toNanos();
            ObjectNode last;
            do {
                last = sample(seconds(System.nanoTime() - started), 0, backend, null);
                if (last.path("gauge").asDouble(-1) == 0 && last.path("onlineUsers").asInt(-1) == 0) {
                    break;
                }
                TimeUnit.SECONDS.sleep(1);  // polling the node until it has let go of every session, within SETTLE
            } while (System.nanoTime() < settleDeadline);
            ObjectNode afterClose = sample(seconds(System.nanoTime() - started), 0, backend, probe);
            report.put("workload", NAME);
            report.put("connections", config.connections());
            report.put("durationSeconds", config.duration().toSeconds());
            report.put("churnPerSecond", config.churn());
            report.put("replaced", replaced);
            report.put("replacedAbruptly", abrupt);
            report.put("replacementsMissing", replacementFailures);
            report.set("samples", samples);
            report.set("start", samples.get(1));
            report.set("end", samples.get(samples.size() - 1));
            report.set("afterClose", afterClose);
        } finally {
            channel.shutdownNow();
        }
        return report;
    }

    private String room(int index) {
        return "soak-room-" + (index % config.rooms());
    }

    private ObjectNode sample(double atSeconds, int clientsOpen, BackendGrpc.BackendBlockingStub backend, NodeProbe probe)
            throws Exception {
        ObjectNode point = MAPPER.createObjectNode();
        point.put("t", Math.round(atSeconds));
        point.put("clientsOpen", clientsOpen);
        String metrics = http.send(HttpRequest.newBuilder(config.metrics()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        point.put("gauge", connectionsGauge(metrics));
        point.put("onlineUsers", backend.withDeadlineAfter(10, TimeUnit.SECONDS)
                .listOnlineUsers(ListOnlineUsersRequest.getDefaultInstance()).getUsersCount());
        if (probe != null) {
            NodeProbe.Sample node = probe.sample();
            point.put("heapKiB", node.heapUsedKiB());
            point.put("rssKiB", node.rssKiB());
        }
        return point;
    }

    /** The node's dino_connections gauge from Prometheus text (summed over its series), -1 when absent. */
    static double connectionsGauge(String prometheusText) {
        Matcher matcher = CONNECTIONS_GAUGE.matcher(prometheusText);
        double sum = 0;
        boolean found = false;
        while (matcher.find()) {
            sum += Double.parseDouble(matcher.group(1));
            found = true;
        }
        return found ? sum : -1;
    }

    private static int open(List<DinoClient> clients) {
        int open = 0;
        for (DinoClient client : clients) {
            if (client != null && client.isOpen()) {
                open++;
            }
        }
        return open;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
