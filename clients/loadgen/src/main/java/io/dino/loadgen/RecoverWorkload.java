package io.dino.loadgen;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dino.api.v1.BackendGrpc;
import io.dino.api.v1.PublishToRoomRequest;
import io.dino.client.DinoSession;
import io.dino.client.Recovery;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;

/**
 * {@code recover}: recovery at scale after a node dies. N sessions ({@link DinoSession}, the Java client's
 * reconnecting, recovering session) live on node A, each in one room. A is frozen (SIGSTOP), M messages are
 * published into every room through node B while A's clients can receive nothing, then A is killed (SIGKILL):
 * every session reconnects to B and must recover exactly the M messages it missed. Reports how long until all
 * had, from the kill, and the CPU node B and Redis spent on it.
 */
final class RecoverWorkload implements Workload {

    static final String NAME = "recover";
    static final String SUMMARY = "kill a node under N sessions; time until every one reconnected elsewhere and recovered what it missed";

    static final Set<String> REPEATABLE = Set.of("url");
    static final Set<String> OPTIONS = Set.of("url", "grpc", "api-key", "connections", "rooms", "missed", "rate",
            "kill-pid", "node-pid", "redis-pid", "reconnect-min", "reconnect-max", "timeout", "http-clients");

    static final String USAGE = """
            Usage: java -jar dino-loadgen.jar recover [options]

            Opens N sessions on the first --url (node A), user rec-i in room rec-(i mod R), then freezes A
            (SIGSTOP to --kill-pid), publishes M messages into every room through --grpc (node B's backend API),
            and kills A (SIGKILL). Every session reconnects (trying the --url list in turn, so to B) and rejoins
            its room from the last position it saw; the report says how long until every session had recovered
            exactly the M messages it missed, counted from the kill. Node A must run on this host.

              --url URL          node A (the one killed), then node B; repeat: exactly two
              --grpc HOST:PORT   node B's backend gRPC endpoint: tokens and the publishes (default 127.0.0.1:8081)
              --api-key KEY      backend API key (default: environment variable DINO_API_KEY)
              --connections N    sessions (default 10000)
              --rooms R          rooms the sessions are spread over (default 1000)
              --missed M         messages published into every room while A is frozen (default 10)
              --rate N           sessions started per second, at most (default 1000)
              --kill-pid PID     node A's process id (required)
              --node-pid PID     node B's process id: report its CPU over the recovery
              --redis-pid PID    redis-server's process id: report its CPU over the recovery
              --reconnect-min D  the sessions' first reconnect delay bound (default 100ms; full jitter)
              --reconnect-max D  their largest reconnect delay (default 2s)
              --timeout D        how long to wait for every session to recover (default 60s)
              --http-clients N   HttpClients (one selector thread each) the sessions are spread over
                                 (default: one per two cores, at least 1)
            """;

    record Config(URI nodeA, URI nodeB, String grpc, String apiKey, int connections, int rooms, int missed, int rate,
                  long killPid, OptionalLong nodePid, OptionalLong redisPid, Duration reconnectMin,
                  Duration reconnectMax, Duration timeout, int httpClients) {

        static Config from(Options options) {
            List<URI> urls = options.uris("url", "ws://127.0.0.1:8080/ws", Set.of("ws", "wss"));
            if (urls.size() != 2) {
                throw new UsageException("--url must be given twice: the node to kill, then the one that stays");
            }
            OptionalLong kill = options.optionalPositiveLong("kill-pid");
            if (kill.isEmpty()) {
                throw new UsageException("--kill-pid is required: the process id of the node to kill");
            }
            return new Config(urls.get(0), urls.get(1),
                    options.string("grpc", "127.0.0.1:8081"),
                    options.string("api-key", System.getenv().getOrDefault("DINO_API_KEY", "")),
                    options.positiveInt("connections", 10_000),
                    options.positiveInt("rooms", 1_000),
                    options.positiveInt("missed", 10),
                    options.positiveInt("rate", 1_000),
                    kill.getAsLong(),
                    options.optionalPositiveLong("node-pid"),
                    options.optionalPositiveLong("redis-pid"),
                    options.duration("reconnect-min", Duration.ofMillis(100)),
                    options.duration("reconnect-max", Duration.ofSeconds(2)),
                    options.duration("timeout", Duration.ofSeconds(60)),
                    options.positiveInt("http-clients", Fleet.defaultHttpClients()));
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int PUBLISHES_IN_FLIGHT = 64;

    private final Config config;
    /** System.nanoTime() of the kill; 0 before it. */
    private volatile long killedAt;

    RecoverWorkload(Config config) {
        this.config = config;
    }

    @Override
    public ObjectNode run() throws Exception {
        int n = config.connections();
        List<String> users = IntStream.range(0, n).mapToObj(i -> "rec-" + i).toList();
        List<String> tokens;
        try (Tokens minter = new Tokens(config.grpc(), config.apiKey())) {
            Tokens.Minted minted = minter.mintAll(users);
            if (minted.failures().total() > 0) {
                throw new IllegalStateException("could not mint every token: " + minted.failures().counts());
            }
            tokens = minted.tokens();
        }
        List<HttpClient> httpClients = IntStream.range(0, config.httpClients())
                .mapToObj(i -> HttpClient.newBuilder().build()).toList();
        // per session: messages received and the time its room's recovery completed (0: not yet)
        AtomicIntegerArray received = new AtomicIntegerArray(n);
        AtomicLongArray recoveredAt = new AtomicLongArray(n);
        AtomicIntegerArray replayed = new AtomicIntegerArray(n);
        AtomicIntegerArray notRecovered = new AtomicIntegerArray(n);
        List<DinoSession> sessions = new ArrayList<>(n);
        ObjectNode report = MAPPER.createObjectNode();
        try {
            Log.info("opening %d sessions on %s", n, config.nodeA());
            long opening = Ticker.SYSTEM.nanoTime();
            Pacer pacer = new Pacer(Ticker.SYSTEM, config.rate(), opening, Long.MAX_VALUE);
            List<CompletableFuture<?>> joined = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int index = i;
                String token = tokens.get(i);
                DinoSession session = DinoSession.builder(List.of(config.nodeA(), config.nodeB()), () -> token)
                        .firstNode(0)
                        .httpClient(httpClients.get(i % httpClients.size()))
                        .reconnectDelay(config.reconnectMin(), config.reconnectMax())
                        .onMessage(message -> received.incrementAndGet(index))
                        .onRecovery(recovery -> recovered(recovery, index, recoveredAt, replayed, notRecovered))
                        .build();
                sessions.add(session);
                pacer.awaitNext();
                joined.add(session.start().thenCompose(started -> session.join(room(index))));
            }
            CompletableFuture.allOf(joined.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            Log.info("%d sessions joined %d rooms; freezing node A (pid %d)", n, config.rooms(), config.killPid());

            signal("STOP", config.killPid());
            publishMissed();
            for (int i = 0; i < n; i++) {
                received.set(i, 0);
            }
            CpuMeter nodeCpu = new CpuMeter(config.nodePid());
            CpuMeter.Reading before = nodeCpu.read();
            long redisBefore = cpuNanos(config.redisPid());
            long killedAt = System.nanoTime();
            this.killedAt = killedAt;
            ProcessHandle.of(config.killPid()).ifPresent(ProcessHandle::destroyForcibly);
            Log.info("node A killed; waiting for %d recoveries", n);

            long deadline = killedAt + config.timeout().toNanos();
            long[] reconnectedAt = new long[n];
            while (countRecovered(recoveredAt) < n && System.nanoTime() < deadline) {
                long now = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    if (reconnectedAt[i] == 0 && onNodeB(sessions.get(i))) {
                        reconnectedAt[i] = now;
                    }
                }
                TimeUnit.MILLISECONDS.sleep(20);  // polling the counters the callbacks fill, within --timeout
            }
            long done = System.nanoTime();
            CpuMeter.Reading after = nodeCpu.read();
            long redisAfter = cpuNanos(config.redisPid());

            long[] millis = new long[n];
            int recovered = 0;
            long complete = 0;
            for (int i = 0; i < n; i++) {
                long at = recoveredAt.get(i);
                millis[i] = at == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(at - killedAt);
                if (at != 0) {
                    recovered++;
                }
                if (at != 0 && notRecovered.get(i) == 0 && replayed.get(i) == config.missed()
                        && received.get(i) == config.missed()) {
                    complete++;
                }
            }
            long[] sortedMillis = Arrays.stream(millis).filter(ms -> ms >= 0).sorted().toArray();
            report.put("workload", NAME);
            report.put("connections", n);
            report.put("rooms", config.rooms());
            report.put("missedPerSession", config.missed());
            report.put("recovered", recovered);
            report.put("recoveredExactly", complete);
            report.put("recoveredFalse", IntStream.range(0, n).filter(i -> notRecovered.get(i) > 0).count());
            report.put("messagesExpected", (long) n * config.missed());
            report.put("messagesReceived", IntStream.range(0, n).mapToLong(received::get).sum());
            report.put("duplicatesDropped", sessions.stream().mapToLong(s -> s.stats().duplicatesDropped()).sum());
            report.put("gaps", sessions.stream().mapToLong(s -> s.stats().gaps()).sum());
            putPercentiles(report.putObject("reconnectedMsFromKill"), Arrays.stream(reconnectedAt).filter(at -> at != 0)
                    .map(at -> TimeUnit.NANOSECONDS.toMillis(at - killedAt)).sorted().toArray());
            putPercentiles(report.putObject("recoveryMsFromKill"), sortedMillis);
            report.put("allRecoveredSeconds", recovered == n ? Json.round3((done - killedAt) / 1e9) : -1);
            putUnrecovered(report.putArray("unrecoveredSample"), sessions, recoveredAt, received);
            CpuMeter.put(report, before, after, false);
            if (redisBefore >= 0 && redisAfter >= 0) {
                report.put("redisCpuSeconds", Json.round3((redisAfter - redisBefore) / 1e9));
            }
            if (config.nodePid().isPresent()) {
                report.put("nodeCpuSeconds", Json.round3((after.nodeNanos() - before.nodeNanos()) / 1e9));
            }
        } finally {
            sessions.forEach(DinoSession::close);
        }
        return report;
    }

    private void recovered(Recovery recovery, int index, AtomicLongArray recoveredAt, AtomicIntegerArray replayed,
                           AtomicIntegerArray notRecovered) {
        if (killedAt == 0 || recovery.log().isInbox()) {
            return;  // only the recoveries after the kill; the inbox recovers too, this workload counts room messages
        }
        replayed.addAndGet(index, recovery.replayed());
        if (!recovery.recovered()) {
            notRecovered.incrementAndGet(index);
        }
        recoveredAt.compareAndSet(index, 0, System.nanoTime());
    }

    private void publishMissed() throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forTarget(config.grpc()).usePlaintext().build();
        try {
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), config.apiKey());
            BackendGrpc.BackendFutureStub backend = BackendGrpc.newFutureStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            Semaphore inFlight = new Semaphore(PUBLISHES_IN_FLIGHT);
            List<CompletableFuture<Void>> calls = new ArrayList<>();
            for (int m = 0; m < config.missed(); m++) {
                for (int r = 0; r < config.rooms(); r++) {
                    inFlight.acquire();
                    CompletableFuture<Void> call = new CompletableFuture<>();
                    var future = backend.withDeadlineAfter(30, TimeUnit.SECONDS).publishToRoom(PublishToRoomRequest.newBuilder()
                            .setRoom("rec-" + r).setBodyJson("{\"m\":" + m + "}").build());
                    future.addListener(() -> {
                        inFlight.release();
                        try {
                            future.get();
                            call.complete(null);
                        } catch (Exception e) {
                            call.completeExceptionally(e);
                        }
                    }, Runnable::run);
                    calls.add(call);
                }
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
            Log.info("published %d messages into %d rooms", config.missed() * config.rooms(), config.rooms());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static void putPercentiles(ObjectNode into, long[] sorted) {
        if (sorted.length > 0) {
            into.put("count", sorted.length);
            into.put("p50", sorted[sorted.length / 2]);
            into.put("p99", sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]);
            into.put("max", sorted[sorted.length - 1]);
        }
    }

    /** Connected to node B (the polling loop sees it within its 20 ms). */
    /** Where the sessions that did not recover stand (up to 20), so a report says where they got stuck. */
    private void putUnrecovered(ArrayNode sample, List<DinoSession> sessions, AtomicLongArray recoveredAt,
                                AtomicIntegerArray received) {
        for (int i = 0; i < sessions.size() && sample.size() < 20; i++) {
            if (recoveredAt.get(i) != 0) {
                continue;
            }
            DinoSession session = sessions.get(i);
            DinoSession.Stats stats = session.stats();
            ObjectNode entry = sample.addObject();
            entry.put("session", i);
            entry.put("connected", session.isConnected());
            entry.put("node", session.connection().map(client -> client.uri().toString()).orElse(""));
            entry.put("connectAttempts", stats.connectAttempts());
            entry.put("reconnects", stats.reconnects());
            entry.put("recoveriesOk", stats.recoveriesOk());
            entry.put("recoveriesFailed", stats.recoveriesFailed());
            entry.put("messagesReceived", received.get(i));
            entry.put("positions", session.positions().toString());
        }
    }

    private boolean onNodeB(DinoSession session) {
        return session.connection().map(client -> client.uri().equals(config.nodeB()) && client.isOpen()).orElse(false);
    }

    private String room(int index) {
        return "rec-" + index % config.rooms();
    }

    private static long countRecovered(AtomicLongArray recoveredAt) {
        long count = 0;
        for (int i = 0; i < recoveredAt.length(); i++) {
            if (recoveredAt.get(i) != 0) {
                count++;
            }
        }
        return count;
    }

    private static long cpuNanos(OptionalLong pid) {
        return pid.isEmpty() ? -1 : ProcessHandle.of(pid.getAsLong())
                .flatMap(p -> p.info().totalCpuDuration()).map(Duration::toNanos).orElse(-1L);
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
        }
    }
}
