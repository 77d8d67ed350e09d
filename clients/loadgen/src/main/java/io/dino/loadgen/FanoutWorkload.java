package io.dino.loadgen;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dino.client.DinoClient;
import org.HdrHistogram.Histogram;

/**
 * {@code fanout}: subscribers spread over rooms (and nodes), publishers sending into those rooms over WebSocket
 * at a paced rate, optionally ramped up step by step. Measures send-to-delivery latency at every subscriber,
 * lost, duplicate and out-of-order deliveries, and what generating the load cost.
 */
final class FanoutWorkload implements Workload {

    static final String NAME = "fanout";
    static final String SUMMARY = "publishers send into rooms over WebSocket; fan-out latency and loss, rate ramp";

    static final Set<String> FLAGS = Set.of("ramp", "no-echo");
    static final Set<String> REPEATABLE = Set.of("url", "room-acl");
    static final Set<String> OPTIONS = Set.of("url", "grpc", "api-key", "subscribers", "rooms", "publishers", "rate",
            "ramp", "ramp-factor", "step", "max-rate", "p99-limit", "duration", "warmup", "drain", "connect-rate", "http-clients",
            "max-in-flight", "node-pid", "no-echo", "room-acl");

    static final String USAGE = """
            Usage: java -jar dino-loadgen.jar fanout [options]

            Opens S subscribers, spread evenly over R rooms (one room each) and round-robin over the nodes, and P
            publishers (own WebSocket clients; publisher i joins and sends into room i % R). Publishers send
            {"p":i,"s":seq,"t":nanoTime} at a paced rate without waiting for replies; every subscriber must
            receive every message of its room. After a warm-up, runs one step of --duration, or with --ramp
            steps of --step, multiplying the rate by --ramp-factor until p99 > --p99-limit, any loss or failed
            send, the generator falling behind, or --max-rate. Each step is drained (up to --drain) before the
            next. Prints one JSON report on stdout; progress goes to stderr.

              --url URL          WebSocket endpoint of a node; repeat for several nodes
                                 (default ws://127.0.0.1:8080/ws)
              --grpc HOST:PORT   backend gRPC endpoint, used to mint tokens (default 127.0.0.1:8081)
              --api-key KEY      backend API key (default: environment variable DINO_API_KEY)
              --subscribers S    subscriber connections (default 1000)
              --rooms R          rooms (default 10)
              --publishers P     publisher connections (default 10)
              --rate M           messages per second per publisher, of the (first) step (default 10)
              --ramp             ramp the rate up step by step (a flag, no value)
              --ramp-factor F    rate multiplier between steps, > 1 (default 1.5)
              --step DURATION    length of each ramp step (default 10s)
              --max-rate M       highest rate per publisher to ramp to (default 1000)
              --p99-limit D      highest healthy p99 delivery latency; plain numbers are ms (default 50ms)
              --duration D       length of the single step without --ramp (default 30s)
              --warmup D         unmeasured sending at the first rate before the steps (default 5s; 0 for none)
              --drain D          how long to wait after a step for in-flight messages (default 2s)
              --connect-rate N   new connections per second per node, at most (default 500)
              --http-clients N   HttpClients (each one selector thread) per node that the connections are
                                 spread over (default: one per two cores, at least 1)
              --max-in-flight N  unanswered sends per publisher before it waits (default 1000)
              --node-pid PID     the node's process id (same host): report its CPU use per step
              --no-echo          publishers send with echo: false, so they do not receive their own messages
                                 (a flag; subscribers are counted the same either way)
              --room-acl A=RULE  gives every room of the run this access rule for action A (SetRoomAcl) before
                                 anyone joins; repeat for several actions. The rule must pass for users whose
                                 tokens have no roles or attributes, e.g. --room-acl 'message=role=!banned,role=!muted'
                                 (measures the cost of access checks; default: no rules)
            """;

    /** The fanout workload's settings. Rates are per publisher. */
    record Config(List<URI> nodes, String grpc, String apiKey, int subscribers, int rooms, int publishers,
                  double rate, boolean ramp, double rampFactor, Duration step, double maxRate, Duration p99Limit,
                  Duration duration, Duration warmup, Duration drain, int connectRate, int httpClients, int maxInFlight,
                  OptionalLong nodePid, boolean noEcho, java.util.Map<String, String> roomAcl) {

        static Config from(Options options) {
            Config config = new Config(
                    options.uris("url", "ws://127.0.0.1:8080/ws", Set.of("ws", "wss")),
                    options.string("grpc", "127.0.0.1:8081"),
                    options.required("api-key", "DINO_API_KEY"),
                    options.positiveInt("subscribers", 1000),
                    options.positiveInt("rooms", 10),
                    options.positiveInt("publishers", 10),
                    options.positiveDouble("rate", 10),
                    options.flag("ramp"),
                    options.positiveDouble("ramp-factor", 1.5),
                    options.duration("step", Duration.ofSeconds(10)),
                    options.positiveDouble("max-rate", 1000),
                    options.millis("p99-limit", Duration.ofMillis(50)),
                    options.duration("duration", Duration.ofSeconds(30)),
                    options.duration("warmup", Duration.ofSeconds(5)),
                    options.duration("drain", Duration.ofSeconds(2)),
                    options.positiveInt("connect-rate", 500),
                    options.positiveInt("http-clients", Fleet.defaultHttpClients()),
                    options.positiveInt("max-in-flight", 1000),
                    options.optionalPositiveLong("node-pid"),
                    options.flag("no-echo"),
                    roomAcl(options.strings("room-acl")));
            if (config.ramp() && config.rampFactor() <= 1) {
                throw new UsageException("option --ramp-factor must be more than 1: " + config.rampFactor());
            }
            if (config.ramp() && config.maxRate() < config.rate()) {
                throw new UsageException("option --max-rate (" + config.maxRate() + ") is below --rate (" + config.rate() + ")");
            }
            if (config.stepLength().isZero() || config.p99Limit().isZero()) {
                throw new UsageException("the step length (--step / --duration) and --p99-limit must be more than 0");
            }
            return config;
        }

        private static java.util.Map<String, String> roomAcl(List<String> given) {
            java.util.Map<String, String> rules = new java.util.TreeMap<>();
            for (String rule : given) {
                int equals = rule.indexOf('=');
                if (equals < 1) {
                    throw new UsageException("option --room-acl takes ACTION=RULE, e.g. message=role=!banned: " + rule);
                }
                rules.put(rule.substring(0, equals), rule.substring(equals + 1));
            }
            return rules;
        }

        /** How long each measured step sends. */
        Duration stepLength() {
            return ramp ? step : duration;
        }

        Ramp.Settings rampSettings() {
            return new Ramp.Settings(rate, ramp, rampFactor, maxRate, p99Limit.toNanos() / 1e6);
        }

        Layout layout() {
            return new Layout(subscribers, rooms, publishers, nodes.size());
        }
    }

    /** One publisher: its client, room, next sequence number and in-flight limit. */
    private static final class Publisher {
        final int index;
        final int room;
        final String roomName;
        final DinoClient client;
        final Semaphore inFlight;
        // Written by one step's sending thread at a time; the step's join publishes it to the next.
        long nextSequence;

        Publisher(int index, int room, String roomName, DinoClient client, int maxInFlight) {
            this.index = index;
            this.room = room;
            this.roomName = roomName;
            this.client = client;
            this.inFlight = new Semaphore(maxInFlight);
        }
    }

    /** A finished step: its report and what the ramp needs from it. */
    private record StepReport(ObjectNode json, Ramp.Outcome outcome) {
    }

    private static final long PROGRESS_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long DRAIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    // Time for the sending threads to start before the first send is due.
    private static final long START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    // How long after a step's end its sending threads may take to finish before they are interrupted.
    private static final Duration SENDER_GRACE = Duration.ofSeconds(10);

    private final Config config;
    private final Ticker ticker = Ticker.SYSTEM;

    private Phases phases;
    private List<Publisher> publishers;
    private int[] subscribersPerRoom;
    private CpuMeter cpu;
    private final AtomicInteger subscribersClosed = new AtomicInteger();
    private final AtomicInteger publishersClosed = new AtomicInteger();

    FanoutWorkload(Config config) {
        this.config = config;
    }

    @Override
    public ObjectNode run() throws Exception {
        cpu = new CpuMeter(config.nodePid());
        CpuMeter.Reading runStart = cpu.read();
        Layout layout = config.layout();
        String runId = Layout.newRunId();
        Ramp.Settings settings = config.rampSettings();
        phases = new Phases(config.publishers(), config.rooms(), 1 + settings.plannedSteps());
        Failures setupFailures = new Failures();

        List<Fleet.Member> subscriberMembers = new ArrayList<>();
        for (int i = 0; i < config.subscribers(); i++) {
            int room = layout.subscriberRoom(i);
            subscriberMembers.add(new Fleet.Member("lg-" + runId + "-s" + i, layout.subscriberNode(i), Layout.roomName(runId, room),
                    new Receiver(room, config.rooms(), phases), (code, reason) -> subscribersClosed.incrementAndGet()));
        }
        List<Fleet.Member> publisherMembers = new ArrayList<>();
        for (int j = 0; j < config.publishers(); j++) {
            publisherMembers.add(new Fleet.Member("lg-" + runId + "-p" + j, layout.publisherNode(j),
                    Layout.roomName(runId, layout.publisherRoom(j)), event -> Receiver.countDisconnect(event, "publisher", phases.disconnects),
                    (code, reason) -> publishersClosed.incrementAndGet()));
        }

        List<String> users = new ArrayList<>();
        subscriberMembers.forEach(m -> users.add(m.user()));
        publisherMembers.forEach(m -> users.add(m.user()));
        Log.info("run %s: minting %d tokens via %s", runId, users.size(), config.grpc());
        Tokens.Minted minted;
        try (Tokens tokens = new Tokens(config.grpc(), config.apiKey())) {
            if (!config.roomAcl().isEmpty()) {
                Log.info("run %s: access rules %s on %d rooms", runId, config.roomAcl(), config.rooms());
                for (int room = 0; room < config.rooms(); room++) {
                    tokens.setRoomAcl(Layout.roomName(runId, room), config.roomAcl());
                }
            }
            minted = tokens.mintAll(users);
        }
        minted.failures().counts().forEach((reason, count) -> {
            Log.info("%d x %s", count, reason);
            setupFailures.add("tokens", reason, count);
        });
        if (minted.failures().total() == users.size()) {
            throw new IllegalStateException("could not mint any token: " + minted.failures().counts());
        }

        ObjectNode report = Json.object();
        try (Fleet fleet = new Fleet(config.nodes(), config.httpClients())) {
            DinoClient[] subscribers = fleet.connectAndJoin("subscribers", subscriberMembers,
                    minted.tokens().subList(0, config.subscribers()), config.connectRate(), setupFailures);
            DinoClient[] publisherClients = fleet.connectAndJoin("publishers", publisherMembers,
                    minted.tokens().subList(config.subscribers(), users.size()), config.connectRate(), setupFailures);

            subscribersPerRoom = new int[config.rooms()];
            int subscribersReady = 0;
            for (int i = 0; i < subscribers.length; i++) {
                if (subscribers[i] != null) {
                    subscribersPerRoom[layout.subscriberRoom(i)]++;
                    subscribersReady++;
                }
            }
            publishers = new ArrayList<>();
            for (int j = 0; j < publisherClients.length; j++) {
                if (publisherClients[j] != null) {
                    int room = layout.publisherRoom(j);
                    publishers.add(new Publisher(j, room, Layout.roomName(runId, room), publisherClients[j], config.maxInFlight()));
                }
            }
            if (subscribersReady == 0 || publishers.isEmpty()) {
                fleet.closeAll();
                throw new IllegalStateException("no " + (subscribersReady == 0 ? "subscriber" : "publisher")
                        + " could connect and join: " + setupFailures.counts());
            }
            Log.info("%d subscribers and %d publishers ready in %d rooms on %d node(s)",
                    subscribersReady, publishers.size(), config.rooms(), config.nodes().size());

            report.put("workload", NAME);
            ArrayNode nodes = report.putArray("nodes");
            config.nodes().forEach(uri -> nodes.add(uri.toString()));
            report.put("subscribers", config.subscribers());
            report.put("rooms", config.rooms());
            report.put("publishers", config.publishers());
            report.put("subscribersReady", subscribersReady);
            report.put("publishersReady", publishers.size());
            report.put("p99LimitMs", Json.round3(settings.p99LimitMs()));
            report.put("ramp", config.ramp());

            if (!config.warmup().isZero()) {
                report.set("warmup", warmup());
            }
            int[] stepNumber = {0};
            Ramp.Result<StepReport> result = Ramp.run(settings, rate -> step(++stepNumber[0], rate), StepReport::outcome);
            ArrayNode steps = report.putArray("steps");
            result.steps().forEach(step -> steps.add(step.json()));
            if (result.best() >= 0) {
                report.set("best", result.steps().get(result.best()).json());
            } else {
                report.putNull("best");
            }
            report.put("stopReason", result.stopReason());
            Log.info("stopped: %s", result.stopReason());
            if (phases.foreign.sum() > 0) {
                report.put("foreignMessages", phases.foreign.sum());
            }
            if (!setupFailures.counts().isEmpty()) {
                report.set("setupFailures", Json.counts(setupFailures.counts()));
            }
            if (!phases.disconnects.counts().isEmpty()) {
                report.set("disconnectEvents", Json.counts(phases.disconnects.counts()));
            }
            report.put("subscribersClosed", subscribersClosed.get());
            report.put("publishersClosed", publishersClosed.get());
            fleet.closeAll();
        }
        ObjectNode generator = Json.object();
        CpuMeter.put(generator, runStart, cpu.read(), false);
        report.set("generator", generator);
        return report;
    }

    /** Sends at the first rate for the warm-up time, unmeasured (phase 0); reports only what was sent. */
    private ObjectNode warmup() throws InterruptedException {
        Log.info("warm-up: %s at %.1f msg/s per publisher", config.warmup(), config.rate());
        long start = ticker.nanoTime() + START_DELAY_NANOS;
        long end = start + config.warmup().toNanos();
        send(0, config.rate(), start, end);
        StepStats stats = phases.get(0);
        ObjectNode warmup = Json.object();
        warmup.put("seconds", Json.round3(config.warmup().toNanos() / 1e9));
        warmup.put("ratePerPublisher", Json.round1(config.rate()));
        warmup.put("sent", stats.sent());
        warmup.put("sendFailures", stats.failed());
        return warmup;
    }

    /** Runs one measured step (phase {@code number}) at {@code rate} per publisher, drains it, reports it. */
    private StepReport step(int number, double rate) {
        try {
            return measureStep(number, rate);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during step " + number, e);
        }
    }

    private StepReport measureStep(int number, double rate) throws InterruptedException {
        StepStats stats = phases.get(number);
        Duration length = config.stepLength();
        double seconds = length.toNanos() / 1e9;
        double targetRate = rate * publishers.size();
        Log.info("step %d: %.1f msg/s per publisher (%.1f msg/s in all) for %s", number, rate, targetRate, length);
        int closedBefore = subscribersClosed.get();
        int publishersClosedBefore = publishersClosed.get();

        CpuMeter.Reading before = cpu.read();
        long start = ticker.nanoTime() + START_DELAY_NANOS;
        long end = start + length.toNanos();
        send(number, rate, start, end);
        CpuMeter.Reading sent = cpu.read();

        long drainStart = ticker.nanoTime();
        boolean drained = ticker.awaitCondition(() -> stats.answered() >= stats.sent() && stats.loss(subscribersPerRoom).lost() == 0,
                config.drain().toNanos(), DRAIN_POLL_NANOS);
        double drainSeconds = (ticker.nanoTime() - drainStart) / 1e9;

        long sentCount = stats.sent();
        long failed = stats.failed();
        long unanswered = Math.max(0, sentCount - stats.answered());
        Loss loss = stats.loss(subscribersPerRoom);
        Histogram latency = stats.deliveryMicros.getIntervalHistogram();
        Histogram replies = stats.replyMicros.getIntervalHistogram();
        double p99Ms = latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(99) / 1000.0;

        ObjectNode json = Json.object();
        json.put("step", number);
        json.put("ratePerPublisher", Json.round1(rate));
        json.put("targetRate", Json.round1(targetRate));
        json.put("seconds", Json.round3(seconds));
        json.put("sent", sentCount);
        json.put("publishRate", Json.round1(sentCount / seconds));
        json.put("sendFailures", failed);
        json.put("unanswered", unanswered);
        json.put("behindSends", stats.behind.sum());
        json.put("skippedSends", stats.skipped.sum());
        json.put("maxSendLagMs", Json.round3(stats.maxLagNanos.get() / 1e6));
        json.put("inFlightWaits", stats.inFlightWaits.sum());
        json.put("expected", loss.expected());
        json.put("received", loss.received());
        json.put("lost", loss.lost());
        if (loss.unexpected() > 0) {
            json.put("unexpected", loss.unexpected());
        }
        json.put("duplicates", stats.duplicates.sum());
        json.put("outOfOrder", stats.outOfOrder.sum());
        if (stats.untracked.sum() > 0) {
            json.put("untracked", stats.untracked.sum());
        }
        json.put("deliveredPerSecond", Json.round1(loss.received() / seconds));
        json.set("latencyMs", Json.latencyMillis(latency));
        json.set("sendReplyMs", Json.latencyMillis(replies));
        json.put("drainSeconds", Json.round3(drainSeconds));
        json.put("drained", drained);
        CpuMeter.put(json, before, sent);
        json.put("subscribersClosed", subscribersClosed.get() - closedBefore);
        json.put("publishersClosed", publishersClosed.get() - publishersClosedBefore);
        if (!stats.failures.counts().isEmpty()) {
            json.set("failures", Json.counts(stats.failures.counts()));
        }
        Ramp.Outcome outcome = new Ramp.Outcome(targetRate, sentCount / seconds, p99Ms, loss.received(), loss.lost(), failed + unanswered);
        String problem = Ramp.problem(outcome, config.rampSettings().p99LimitMs()).orElse("ok");
        json.put("verdict", problem);
        Log.info("step %d: published %.1f/s, delivered %.1f/s, p50 %.2f ms, p99 %.2f ms, lost %d, duplicates %d, "
                        + "send failures %d, generator CPU %.2f cores: %s",
                number, sentCount / seconds, loss.received() / seconds,
                latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(50) / 1000.0, p99Ms,
                loss.lost(), stats.duplicates.sum(), failed + unanswered, json.path("generatorCpuCores").asDouble(), problem);
        return new StepReport(json, outcome);
    }

    /**
     * Runs every publisher on its own virtual thread, each paced at {@code rate} from {@code start} (staggered
     * by a fraction of the interval, so publishers do not all send at the same instant) until {@code end}, and
     * waits for them, logging progress every second.
     */
    private void send(int phase, double rate, long start, long end) throws InterruptedException {
        StepStats stats = phases.get(phase);
        double interval = 1e9 / rate;
        List<Thread> threads = new ArrayList<>(publishers.size());
        for (int k = 0; k < publishers.size(); k++) {
            Publisher publisher = publishers.get(k);
            long offset = (long) (interval * k / publishers.size());
            Pacer pacer = new Pacer(ticker, rate, start + offset, end);
            threads.add(Thread.ofVirtual().name("publisher-" + publisher.index).start(() -> publish(publisher, phase, stats, pacer, end)));
        }
        long nextLog = start + PROGRESS_INTERVAL_NANOS;
        long giveUp = end + SENDER_GRACE.toNanos();
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                long now = ticker.nanoTime();
                if (now - giveUp >= 0) {
                    Log.info("%s did not finish %s after the step; interrupting it", thread.getName(), SENDER_GRACE);
                    thread.interrupt();
                    thread.join(Duration.ofSeconds(1));
                    break;
                }
                thread.join(Duration.ofNanos(Math.max(1, Math.min(nextLog, giveUp) - now)));
                if (ticker.nanoTime() - nextLog >= 0 && thread.isAlive()) {
                    nextLog += PROGRESS_INTERVAL_NANOS;
                    Loss loss = stats.loss(subscribersPerRoom);
                    Log.info("  sent %d (%d failed), delivered %d of %d", stats.sent(), stats.failed(), loss.received(), loss.expected());
                }
            }
        }
    }

    /** One publisher's sending loop for one phase. */
    private void publish(Publisher publisher, int phase, StepStats stats, Pacer pacer, long end) {
        phases.map.begin(publisher.index, phase, publisher.nextSequence);
        int room = publisher.room;
        try {
            while (pacer.awaitNext()) {
                if (!publisher.inFlight.tryAcquire()) {
                    stats.inFlightWaits.increment();
                    if (!publisher.inFlight.tryAcquire(Math.max(0, end - ticker.nanoTime()), TimeUnit.NANOSECONDS)) {
                        break;
                    }
                }
                long sequence = publisher.nextSequence++;
                long sentAt = System.nanoTime();
                ObjectNode body = Json.object().put("p", publisher.index).put("s", sequence).put("t", sentAt);
                stats.sentByRoom[room].increment();
                publisher.client.send(publisher.roomName, body, !config.noEcho()).whenComplete((result, error) -> {
                    publisher.inFlight.release();
                    if (error != null) {
                        stats.failedByRoom[room].increment();
                        stats.failures.add("send", error);
                    } else {
                        stats.replyMicros.recordValue(Math.max(0, (System.nanoTime() - sentAt) / 1000));
                    }
                    // Last, so that answered == sent implies the failure counts are complete.
                    stats.answeredByRoom[room].increment();
                });
            }
        } catch (InterruptedException | java.util.concurrent.CancellationException e) {
            // The step is being abandoned; what was sent is counted.
        } finally {
            stats.behind.add(pacer.behind());
            stats.lag(pacer.maxLagNanos());
            stats.skipped.add(pacer.skipped());
        }
    }
}
