package io.dino.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dino.client.DinoClient;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Does a flooding client slow the others? N measured sessions in one room each send at a paced rate and time the
 * round trip of every {@code send} (request to reply); F flooding sessions in the same room send as fast as their
 * socket takes frames, without waiting for replies, and reconnect whenever the node closes them. Run it with
 * {@code --flooders 0} for the baseline and compare the measured percentiles (docs/benchmarks.md).
 */
final class FloodWorkload implements Workload {

    static final String NAME = "flood";
    static final String SUMMARY = "one flooding session beside paced ones: their send round trip, the flooder's accepted/refused";
    static final Set<String> OPTIONS = Stream.concat(Target.OPTIONS.stream(),
            Stream.of("sessions", "rate", "flooders", "duration", "warmup", "flood")).collect(Collectors.toUnmodifiableSet());
    static final String USAGE = """
            Usage: java -jar dino-loadgen.jar flood [options]

            --sessions measured sessions (one user each) join one room and each send --rate messages a second
            into it (echo off, open loop: a send does not wait for the previous reply), timing each send's
            round trip, request to reply. --flooders sessions (one user each) join the same room and send
            --flood frames as fast as their socket takes them, without waiting for replies; one the node closes
            (e.g. for flooding) reconnects at once. Flooders start with the warm-up; only the measured period
            counts. The report has the measured round trip (p50/p90/p99/p999/max) and per flooder what the
            node accepted, refused with RATE_LIMITED, and how often it closed the flooder.

            """ + Target.USAGE + """
              --sessions N       measured sessions (default 20)
              --rate R           sends per second per measured session (default 10)
              --flooders F       flooding sessions (default 1; 0 for the baseline)
              --flood KIND       what a flooder sends: send (a message to the room) or ping (default send)
              --duration D       measured period (default 20s)
              --warmup D         unmeasured period before it (default 5s)
            """;

    private static final int CONNECT_RATE = 200;
    private static final Duration SETTLE = Duration.ofSeconds(10);

    record Config(Target target, int sessions, double rate, int flooders, String flood, Duration duration, Duration warmup) {

        static Config from(Options options) {
            String flood = options.string("flood", "send");
            if (!flood.equals("send") && !flood.equals("ping")) {
                throw new UsageException("option --flood must be send or ping: " + flood);
            }
            return new Config(Target.from(options), options.positiveInt("sessions", 20), options.positiveDouble("rate", 10),
                    options.nonNegativeInt("flooders", 1), flood, options.duration("duration", Duration.ofSeconds(20)),
                    options.duration("warmup", Duration.ofSeconds(5)));
        }
    }

    /** What one flooder saw, counted only in the measured period. */
    private static final class FloodCounts {
        final LongAdder framesSent = new LongAdder();
        final LongAdder accepted = new LongAdder();
        final LongAdder limited = new LongAdder();
        final LongAdder otherErrors = new LongAdder();
        final LongAdder closes = new LongAdder();
        volatile boolean measuring;

        void reply(JsonNode frame) {
            if (!measuring) {
                return;
            }
            if (frame.has("result")) {
                accepted.increment();
            } else if (frame.path("error").path("code").asInt() == 4050) {
                limited.increment();
            } else if (frame.has("error")) {
                otherErrors.increment();
            }
        }
    }

    private final Config config;

    FloodWorkload(Config config) {
        this.config = config;
    }

    @Override
    public ObjectNode run() throws Exception {
        long cpuStart = Cpu.processCpuNanos();
        String prefix = "lg-" + Layout.newRunId() + "-";
        String room = prefix + "room";
        List<String> users = new ArrayList<>();
        IntStream.range(0, config.sessions()).forEach(i -> users.add(prefix + "m" + i));
        IntStream.range(0, config.flooders()).forEach(i -> users.add(prefix + "f" + i));
        Tokens.Minted minted;
        try (Tokens tokens = new Tokens(config.target().grpc(), config.target().apiKey())) {
            minted = tokens.mintAll(users);
        }
        if (minted.failures().total() > 0) {
            throw new IllegalStateException("could not mint every token: " + minted.failures().counts());
        }
        try (Connector connector = new Connector(config.target().url())) {
            Connector.Result connected = connector.connectAll(minted.tokens().subList(0, config.sessions()), CONNECT_RATE,
                    i -> connector.builder());
            if (connected.failed() > 0) {
                connector.closeAll(connected.connectedClients(), SETTLE);
                throw new IllegalStateException("could not connect every session: " + connected.failures().counts());
            }
            List<DinoClient> measured = connected.clients();
            for (DinoClient client : measured) {
                client.join(room).get(SETTLE.toSeconds(), TimeUnit.SECONDS);
            }

            long start = System.nanoTime();
            long measureFrom = start + config.warmup().toNanos();
            long end = measureFrom + config.duration().toNanos();
            List<FloodCounts> floods = new ArrayList<>();
            List<Thread> flooders = new ArrayList<>();
            for (int f = 0; f < config.flooders(); f++) {
                FloodCounts counts = new FloodCounts();
                floods.add(counts);
                String token = minted.tokens().get(config.sessions() + f);
                // its own HttpClient (selector and executor threads): the flood must not queue the measured sessions'
                // frames in the generator
                Connector own = new Connector(config.target().url());
                flooders.add(Thread.ofVirtual().name("flooder-" + f).start(() -> {
                    try (own) {
                        flood(own, token, room, counts, end);
                    }
                }));
            }
            Log.info("%d measured sessions at %.1f sends/s each, %d flooder(s) of %s; warm-up %s, then %s measured",
                    config.sessions(), config.rate(), config.flooders(), config.flood(), config.warmup(), config.duration());

            Recorder roundTrips = new Recorder(TimeUnit.SECONDS.toMicros(60), 3);
            LongAdder sent = new LongAdder();
            LongAdder failed = new LongAdder();
            LongAdder unanswered = new LongAdder();
            List<CompletableFuture<?>> last = new ArrayList<>();
            List<Thread> senders = new ArrayList<>();
            Thread switchOn = Thread.ofVirtual().start(() -> {
                parkUntil(measureFrom);
                floods.forEach(counts -> counts.measuring = true);
                roundTrips.reset();
                Log.info("measuring");
            });
            for (int s = 0; s < measured.size(); s++) {
                DinoClient client = measured.get(s);
                long offset = (long) (s * 1e9 / config.rate() / measured.size());  // spread the sessions over the interval
                senders.add(Thread.ofVirtual().start(() -> send(client, room, start + offset, end, measureFrom, roundTrips,
                        sent, failed, last)));
            }
            for (Thread sender : senders) {
                sender.join();
            }
            switchOn.join();
            for (FloodCounts counts : floods) {
                counts.measuring = false;
            }
            List<CompletableFuture<?>> pending;
            synchronized (last) {
                pending = List.copyOf(last);
            }
            try {
                CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(SETTLE.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                pending.stream().filter(future -> !future.isDone()).forEach(future -> unanswered.increment());
            }
            for (Thread flooder : flooders) {
                flooder.join(SETTLE.toMillis());
            }
            Histogram histogram = roundTrips.getIntervalHistogram();
            connector.closeAll(measured, SETTLE);

            double seconds = config.duration().toNanos() / 1e9;
            ObjectNode report = Json.object().put("workload", NAME).put("url", config.target().url().toString())
                    .put("sessions", config.sessions()).put("ratePerSession", config.rate()).put("flooders", config.flooders())
                    .put("floodKind", config.flood()).put("durationSeconds", seconds);
            ObjectNode measuredReport = report.putObject("measured");
            measuredReport.put("sent", sent.sum()).put("failed", failed.sum()).put("unanswered", unanswered.sum());
            measuredReport.set("roundTripMs", latency(histogram));
            List<ObjectNode> flooderReports = new ArrayList<>();
            for (FloodCounts counts : floods) {
                ObjectNode flooder = Json.object()
                        .put("framesSent", counts.framesSent.sum())
                        .put("accepted", counts.accepted.sum())
                        .put("acceptedPerSecond", Json.round1(counts.accepted.sum() / seconds))
                        .put("rateLimited", counts.limited.sum())
                        .put("otherErrors", counts.otherErrors.sum())
                        .put("closedByNode", counts.closes.sum());
                flooderReports.add(flooder);
            }
            report.putArray("flood").addAll(flooderReports);
            report.set("generator", Json.object().put("cpuSeconds", Json.round3((Cpu.processCpuNanos() - cpuStart) / 1e9)));
            JsonNode rt = measuredReport.get("roundTripMs");
            Log.info("measured: p50 %s ms, p99 %s ms, p999 %s ms over %d sends (%d failed)", rt.path("p50"), rt.path("p99"),
                    rt.path("p999"), sent.sum(), failed.sum());
            return report;
        }
    }

    /** Paced sends of one measured session; round trips of those sent in the measured period are recorded. */
    private void send(DinoClient client, String room, long start, long end, long measureFrom, Recorder roundTrips,
                      LongAdder sent, LongAdder failed, List<CompletableFuture<?>> last) {
        Pacer pacer = new Pacer(Ticker.SYSTEM, config.rate(), start, end);
        CompletableFuture<?> previous = null;
        while (pacer.awaitNext()) {
            long sentAt = System.nanoTime();
            boolean counted = sentAt >= measureFrom;
            CompletableFuture<JsonNode> reply = client.send(room, "m", false);
            if (counted) {
                sent.increment();
            }
            previous = reply.whenComplete((result, error) -> {
                if (!counted) {
                    return;
                }
                if (error != null) {
                    failed.increment();
                } else {
                    roundTrips.recordValue(Math.max(0, (System.nanoTime() - sentAt) / 1000));
                }
            });
        }
        if (previous != null) {
            synchronized (last) {
                last.add(previous);
            }
        }
    }

    /** Sends frames as fast as the socket takes them until {@code end}; reconnects when the node closes it. */
    private void flood(Connector connector, String token, String room, FloodCounts counts, long end) {
        String body = config.flood().equals("send")
                ? ",\"cmd\":\"send\",\"room\":\"" + room + "\",\"body\":\"flood\",\"echo\":false}"
                : ",\"cmd\":\"ping\"}";
        AtomicLong ids = new AtomicLong();
        while (System.nanoTime() < end) {
            DinoClient client;
            try {
                client = connector.builder().onUnmatchedReply(counts::reply).connect(token).get(SETTLE.toSeconds(), TimeUnit.SECONDS);
                client.join(room).get(SETTLE.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                // refused while reconnecting (e.g. rate limited at once): try again
                continue;
            }
            try {
                while (System.nanoTime() < end && client.isOpen()) {
                    client.sendRaw("{\"id\":\"f" + ids.incrementAndGet() + "\"" + body).get(SETTLE.toSeconds(), TimeUnit.SECONDS);
                    if (counts.measuring) {
                        counts.framesSent.increment();
                    }
                }
            } catch (Exception e) {
                // the node closed the socket under the send
            }
            if (System.nanoTime() < end) {
                if (counts.measuring) {
                    counts.closes.increment();
                }
            } else {
                client.close();
            }
        }
    }

    private static ObjectNode latency(Histogram micros) {
        ObjectNode latency = Json.object().put("count", micros.getTotalCount());
        if (micros.getTotalCount() == 0) {
            return latency;
        }
        for (double percentile : new double[] {50, 90, 99, 99.9}) {
            latency.put(percentile == 99.9 ? "p999" : "p" + (int) percentile, Json.round3(micros.getValueAtPercentile(percentile) / 1000.0));
        }
        latency.put("max", Json.round3(micros.getMaxValue() / 1000.0));
        return latency;
    }

    private static void parkUntil(long deadline) {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
        }
    }
}
