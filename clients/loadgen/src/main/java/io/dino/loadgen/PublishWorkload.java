package io.dino.loadgen;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dino.api.v1.BackendGrpc;
import io.dino.api.v1.PublishResponse;
import io.dino.api.v1.PublishToRoomRequest;
import io.dino.client.DinoClient;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import org.HdrHistogram.Histogram;

/**
 * {@code publish}: backend publish throughput. Calls {@code PublishToRoom} over one gRPC channel with async
 * stubs, keeping up to C calls in flight (a semaphore), round-robin over the rooms, for a fixed time; with
 * subscribers in the rooms it also measures the fan-out of what was published: deliveries per second,
 * latency and loss.
 */
final class PublishWorkload implements Workload {

    static final String NAME = "publish";
    static final String SUMMARY = "backend PublishToRoom throughput over gRPC, with fan-out to subscribers";

    static final Set<String> FLAGS = Set.of();
    static final Set<String> REPEATABLE = Set.of("url");
    static final Set<String> OPTIONS = Set.of("url", "grpc", "api-key", "rooms", "subscribers", "concurrency",
            "duration", "warmup", "drain", "rate", "connect-rate", "http-clients", "node-pid");

    static final String USAGE = """
            Usage: java -jar dino-loadgen.jar publish [options]

            Opens S subscribers spread evenly over R rooms (and round-robin over the nodes), then calls the
            backend's PublishToRoom as fast as C calls in flight allow (or at --rate), round-robin over the
            rooms, for --duration after a warm-up. Message bodies are {"p":room,"s":seq,"t":nanoTime}; every
            subscriber must receive every message of its room. Prints one JSON report on stdout; progress goes
            to stderr.

              --url URL          WebSocket endpoint of a node for the subscribers; repeat for several nodes
                                 (default ws://127.0.0.1:8080/ws)
              --grpc HOST:PORT   backend gRPC endpoint: publishes and token minting (default 127.0.0.1:8081)
              --api-key KEY      backend API key (default: environment variable DINO_API_KEY)
              --rooms R          rooms to publish into (default 10)
              --subscribers S    subscriber connections; 0 measures publishing alone (default 1000)
              --concurrency C    gRPC calls in flight at most (default 16)
              --duration D       measured publishing time (default 20s)
              --warmup D         unmeasured publishing before it (default 2s; 0 for none)
              --drain D          how long to wait for deliveries after the last reply (default 2s)
              --rate N           publishes per second in all, at most (default: as fast as C allows)
              --connect-rate N   new connections per second per node, at most (default 500)
              --http-clients N   HttpClients (each one selector thread) per node that the connections are
                                 spread over (default: one per two cores, at least 1)
              --node-pid PID     the node's process id (same host): report its CPU use
            """;

    /** The publish workload's settings. */
    record Config(List<URI> nodes, String grpc, String apiKey, int rooms, int subscribers, int concurrency,
                  Duration duration, Duration warmup, Duration drain, OptionalDouble rate, int connectRate, int httpClients,
                  OptionalLong nodePid) {

        static Config from(Options options) {
            Config config = new Config(
                    options.uris("url", "ws://127.0.0.1:8080/ws", Set.of("ws", "wss")),
                    options.string("grpc", "127.0.0.1:8081"),
                    options.required("api-key", "DINO_API_KEY"),
                    options.positiveInt("rooms", 10),
                    options.nonNegativeInt("subscribers", 1000),
                    options.positiveInt("concurrency", 16),
                    options.duration("duration", Duration.ofSeconds(20)),
                    options.duration("warmup", Duration.ofSeconds(2)),
                    options.duration("drain", Duration.ofSeconds(2)),
                    options.optionalPositiveDouble("rate"),
                    options.positiveInt("connect-rate", 500),
                    options.positiveInt("http-clients", Fleet.defaultHttpClients()),
                    options.optionalPositiveLong("node-pid"));
            if (config.duration().isZero()) {
                throw new UsageException("option --duration must be more than 0");
            }
            return config;
        }

        Layout layout() {
            return new Layout(subscribers, rooms, 0, nodes.size());
        }
    }

    private static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);
    private static final long DEADLINE_SECONDS = 10;
    private static final long PROGRESS_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long DRAIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final int WARMUP = 0;
    private static final int MEASURED = 1;

    private final Config config;
    private final Ticker ticker = Ticker.SYSTEM;

    private Phases phases;
    private String runId;
    private String[] roomNames;
    private long[] nextSequence;
    private long calls;
    private Semaphore inFlight;
    private BackendGrpc.BackendStub stub;
    private final AtomicInteger subscribersClosed = new AtomicInteger();

    PublishWorkload(Config config) {
        this.config = config;
    }

    @Override
    public ObjectNode run() throws Exception {
        CpuMeter cpu = new CpuMeter(config.nodePid());
        CpuMeter.Reading runStart = cpu.read();
        Layout layout = config.layout();
        runId = Layout.newRunId();
        phases = new Phases(config.rooms(), config.rooms(), 2);
        roomNames = new String[config.rooms()];
        for (int room = 0; room < config.rooms(); room++) {
            roomNames[room] = Layout.roomName(runId, room);
        }
        nextSequence = new long[config.rooms()];
        Failures setupFailures = new Failures();

        List<Fleet.Member> members = new ArrayList<>();
        for (int i = 0; i < config.subscribers(); i++) {
            int room = layout.subscriberRoom(i);
            members.add(new Fleet.Member("lg-" + runId + "-s" + i, layout.subscriberNode(i), roomNames[room],
                    new Receiver(room, config.rooms(), phases), (code, reason) -> subscribersClosed.incrementAndGet()));
        }

        ManagedChannel channel = NettyChannelBuilder.forTarget(config.grpc()).usePlaintext().directExecutor().build();
        Metadata headers = new Metadata();
        headers.put(API_KEY, config.apiKey());
        stub = BackendGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        inFlight = new Semaphore(config.concurrency());

        ObjectNode report = Json.object();
        try (Fleet fleet = new Fleet(config.nodes(), config.httpClients())) {
            int[] subscribersPerRoom = new int[config.rooms()];
            int ready = 0;
            if (!members.isEmpty()) {
                List<String> users = members.stream().map(Fleet.Member::user).toList();
                Log.info("run %s: minting %d tokens via %s", runId, users.size(), config.grpc());
                Tokens.Minted minted;
                try (Tokens tokens = new Tokens(config.grpc(), config.apiKey())) {
                    minted = tokens.mintAll(users);
                }
                minted.failures().counts().forEach((reason, count) -> {
                    Log.info("%d x %s", count, reason);
                    setupFailures.add("tokens", reason, count);
                });
                if (minted.failures().total() == users.size()) {
                    throw new IllegalStateException("could not mint any token: " + minted.failures().counts());
                }
                DinoClient[] subscribers = fleet.connectAndJoin("subscribers", members, minted.tokens(), config.connectRate(), setupFailures);
                for (int i = 0; i < subscribers.length; i++) {
                    if (subscribers[i] != null) {
                        subscribersPerRoom[layout.subscriberRoom(i)]++;
                        ready++;
                    }
                }
                if (ready == 0) {
                    fleet.closeAll();
                    throw new IllegalStateException("no subscriber could connect and join: " + setupFailures.counts());
                }
            }

            report.put("workload", NAME);
            report.put("grpc", config.grpc());
            ArrayNode nodes = report.putArray("nodes");
            config.nodes().forEach(uri -> nodes.add(uri.toString()));
            report.put("rooms", config.rooms());
            report.put("subscribers", config.subscribers());
            report.put("subscribersReady", ready);
            report.put("concurrency", config.concurrency());
            if (config.rate().isPresent()) {
                report.put("rateLimit", config.rate().getAsDouble());
            }

            if (!config.warmup().isZero()) {
                Log.info("warm-up: publishing for %s", config.warmup());
                publish(WARMUP, config.warmup());
                StepStats warm = phases.get(WARMUP);
                report.set("warmup", Json.object().put("seconds", Json.round3(config.warmup().toNanos() / 1e9))
                        .put("sent", warm.sent()).put("failures", warm.failed()));
            }

            StepStats stats = phases.get(MEASURED);
            Log.info("publishing for %s into %d rooms, %d calls in flight at most%s", config.duration(), config.rooms(),
                    config.concurrency(), config.rate().isPresent() ? String.format(", %.1f/s at most", config.rate().getAsDouble()) : "");
            int closedBefore = subscribersClosed.get();
            CpuMeter.Reading before = cpu.read();
            publish(MEASURED, config.duration());
            CpuMeter.Reading after = cpu.read();
            // Every call ends by its deadline; wait for the replies, then for the deliveries.
            long replyDeadline = TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS + 5);
            if (inFlight.tryAcquire(config.concurrency(), replyDeadline, TimeUnit.NANOSECONDS)) {
                inFlight.release(config.concurrency());
            }
            long drainStart = ticker.nanoTime();
            boolean drained = ticker.awaitCondition(() -> stats.loss(subscribersPerRoom).lost() == 0, config.drain().toNanos(), DRAIN_POLL_NANOS);
            double drainSeconds = (ticker.nanoTime() - drainStart) / 1e9;

            double seconds = config.duration().toNanos() / 1e9;
            long sent = stats.sent();
            long failed = stats.failed();
            long unanswered = Math.max(0, sent - stats.answered());
            long published = sent - failed - unanswered;
            Loss loss = stats.loss(subscribersPerRoom);
            Histogram grpcLatency = stats.replyMicros.getIntervalHistogram();
            Histogram deliveryLatency = stats.deliveryMicros.getIntervalHistogram();

            report.put("seconds", Json.round3(seconds));
            report.put("calls", sent);
            report.put("published", published);
            report.put("publishFailures", failed);
            report.put("unanswered", unanswered);
            report.put("publishesPerSecond", Json.round1(published / seconds));
            report.put("inFlightWaits", stats.inFlightWaits.sum());
            if (config.rate().isPresent()) {
                report.put("behindSends", stats.behind.sum());
                report.put("maxSendLagMs", Json.round3(stats.maxLagNanos.get() / 1e6));
            }
            report.set("grpcLatencyMs", Json.latencyMillis(grpcLatency));
            report.put("expected", loss.expected());
            report.put("received", loss.received());
            report.put("lost", loss.lost());
            if (loss.unexpected() > 0) {
                report.put("unexpected", loss.unexpected());
            }
            report.put("duplicates", stats.duplicates.sum());
            // Concurrent calls into one room may be stored in any order, so reordering is expected with C > 1.
            report.put("reordered", stats.outOfOrder.sum());
            if (stats.untracked.sum() > 0) {
                report.put("untracked", stats.untracked.sum());
            }
            report.put("deliveredPerSecond", Json.round1(loss.received() / seconds));
            report.set("deliveryLatencyMs", Json.latencyMillis(deliveryLatency));
            report.put("drainSeconds", Json.round3(drainSeconds));
            report.put("drained", drained);
            CpuMeter.put(report, before, after);
            report.put("subscribersClosed", subscribersClosed.get() - closedBefore);
            if (!stats.failures.counts().isEmpty()) {
                report.set("failures", Json.counts(stats.failures.counts()));
            }
            if (!setupFailures.counts().isEmpty()) {
                report.set("setupFailures", Json.counts(setupFailures.counts()));
            }
            if (!phases.disconnects.counts().isEmpty()) {
                report.set("disconnectEvents", Json.counts(phases.disconnects.counts()));
            }
            if (phases.foreign.sum() > 0) {
                report.put("foreignMessages", phases.foreign.sum());
            }
            Log.info("published %.1f/s (%d failed, %d unanswered), gRPC p50 %.2f ms p99 %.2f ms, delivered %.1f/s, lost %d",
                    published / seconds, failed, unanswered,
                    grpcLatency.getTotalCount() == 0 ? 0 : grpcLatency.getValueAtPercentile(50) / 1000.0,
                    grpcLatency.getTotalCount() == 0 ? 0 : grpcLatency.getValueAtPercentile(99) / 1000.0,
                    loss.received() / seconds, loss.lost());
            fleet.closeAll();
        } finally {
            channel.shutdownNow();
            channel.awaitTermination(5, TimeUnit.SECONDS);
        }
        ObjectNode generator = Json.object();
        CpuMeter.put(generator, runStart, cpu.read(), false);
        report.set("generator", generator);
        return report;
    }

    /**
     * Publishes for {@code length}: round-robin over the rooms, each call as soon as one of the C in-flight
     * slots is free (and, with --rate, its paced time has come). Counts into the phase's stats.
     */
    private void publish(int phase, Duration length) throws InterruptedException {
        StepStats stats = phases.get(phase);
        for (int room = 0; room < config.rooms(); room++) {
            phases.map.begin(room, phase, nextSequence[room]);
        }
        long start = ticker.nanoTime();
        long end = start + length.toNanos();
        Pacer pacer = config.rate().isPresent() ? new Pacer(ticker, config.rate().getAsDouble(), start, end) : null;
        long nextLog = start + PROGRESS_INTERVAL_NANOS;
        try {
            while (true) {
                if (pacer != null ? !pacer.awaitNext() : ticker.nanoTime() - end >= 0) {
                    break;
                }
                if (!inFlight.tryAcquire()) {
                    stats.inFlightWaits.increment();
                    if (!inFlight.tryAcquire(Math.max(0, end - ticker.nanoTime()), TimeUnit.NANOSECONDS)) {
                        break;
                    }
                }
                int room = (int) (calls++ % config.rooms());
                long sequence = nextSequence[room]++;
                long sentAt = System.nanoTime();
                PublishToRoomRequest request = PublishToRoomRequest.newBuilder()
                        .setRoom(roomNames[room])
                        .setBodyJson("{\"p\":" + room + ",\"s\":" + sequence + ",\"t\":" + sentAt + "}")
                        .setSender("loadgen")
                        .setIdempotencyKey(runId + ":" + room + ":" + sequence)
                        .build();
                stats.sentByRoom[room].increment();
                stub.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).publishToRoom(request, new Call(stats, room, sentAt));
                if (ticker.nanoTime() - nextLog >= 0) {
                    nextLog += PROGRESS_INTERVAL_NANOS;
                    Log.info("  calls %d (%d failed), delivered %d", stats.sent(), stats.failed(), stats.received());
                }
            }
        } catch (CancellationException e) {
            // interrupted: stop publishing
        } finally {
            if (pacer != null) {
                stats.behind.add(pacer.behind());
                stats.lag(pacer.maxLagNanos());
                stats.skipped.add(pacer.skipped());
            }
        }
    }

    /** One PublishToRoom call: frees its in-flight slot and counts the outcome when it ends. */
    private final class Call implements StreamObserver<PublishResponse> {

        private final StepStats stats;
        private final int room;
        private final long sentAt;
        private boolean responded;

        Call(StepStats stats, int room, long sentAt) {
            this.stats = stats;
            this.room = room;
            this.sentAt = sentAt;
        }

        @Override
        public void onNext(PublishResponse response) {
            responded = true;
        }

        @Override
        public void onError(Throwable error) {
            stats.failedByRoom[room].increment();
            stats.failures.add("publish", error);
            done();
        }

        @Override
        public void onCompleted() {
            if (responded) {
                stats.replyMicros.recordValue(Math.max(0, (System.nanoTime() - sentAt) / 1000));
            } else {
                stats.failedByRoom[room].increment();
                stats.failures.add("publish", "completed without a response");
            }
            done();
        }

        private void done() {
            stats.answeredByRoom[room].increment();
            inFlight.release();
        }
    }
}
