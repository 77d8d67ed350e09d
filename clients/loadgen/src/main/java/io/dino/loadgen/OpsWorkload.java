package io.dino.loadgen;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dino.api.v1.BackendGrpc;
import io.dino.api.v1.PublishToRoomRequest;
import io.dino.api.v1.PublishToUsersRequest;
import io.dino.api.v1.PublishToUsersResponse;
import io.dino.client.DinoClient;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;

/**
 * {@code ops}: the latency of single operations, one in flight at a time (so latency = the node's round trips
 * to Redis + its processing), and with {@code --redis} the Redis work each one causes. One authenticated
 * session joins rooms and reads history; the backend API publishes to users.
 */
final class OpsWorkload implements Workload {

    static final String NAME = "ops";
    static final String SUMMARY = "latency and Redis commands of single operations: join, history, PublishToUsers";

    static final Set<String> OPTIONS = Stream.concat(Target.OPTIONS.stream(),
            Stream.of("ops", "count", "warmup", "members", "users", "redis")).collect(Collectors.toUnmodifiableSet());

    static final int HISTORY_MESSAGES = 100;
    static final int HISTORY_LIMIT = 50;
    /**
     * Rooms the members are in for join-members, visited in turn: the members stay in them (a session may be in
     * at most 100 rooms by default), and a join does the same Redis work in any room with the same members.
     */
    static final int MEMBER_ROOMS = 10;
    static final int MAX_USERS = 1000;

    static final String USAGE = """
            Usage: java -jar dino-loadgen.jar ops [options]

            Times single operations, one in flight at a time, so a latency is the node's round trips to
            Redis plus its processing. Each operation runs --warmup times unmeasured, then --count times
            measured; the report (one JSON object on stdout) has per operation p50/p90/p99/max and ops/s.

              join            join a fresh empty room (a new name each time), then leave it (untimed)
              join-members    join a room the --members other users are in, then leave it (untimed)
              history         history of a room holding 100 messages, limit 50
              publish-users   backend PublishToUsers to --users users, half of them online on the node

            """ + Target.USAGE + """
              --ops LIST         operations to run, comma-separated, in order
                                 (default join,join-members,history,publish-users)
              --count N          measured operations of each kind (default 2000)
              --warmup N         unmeasured operations of each kind before them (default 200; 0 for none)
              --members K        other users in the rooms of join-members, each with one session (default 3)
              --users U          users PublishToUsers names, 1-1000; U/2 of them have a session (default 100)
              --redis URL        redis://[[user]:password@]host[:port] of the node's Redis: count the Redis
                                 commands of each operation (see below)

            With --redis, INFO stats commandstats is read right before and right after each timed operation
            and the differences are reported per operation: commandsPerOp (in all) and commandsPerOpByName
            are the commands Redis executed, and readsPerOp its socket reads. Pipelined commands share one
            round trip, so commands >= round trips. Redis also counts the commands a Lua script runs under
            their own names (an EVALSHA shows as evalsha plus what its script called), while a script is a
            single read: round trips <= readsPerOp <= commands sent. Everything Redis did during the timed
            operation is counted, including background work (the node's inbox reader XREAD, heartbeat
            ZADD, audit HMGET), so use a Redis that only this node uses.
            """;

    /** The ops workload's settings. */
    record Config(Target target, List<Operation> ops, int count, int warmup, int members, int users, Optional<URI> redis) {

        static Config from(Options options) {
            Config config = new Config(
                    Target.from(options),
                    Operation.parseList("ops", options.string("ops", Operation.labels())),
                    options.positiveInt("count", 2000),
                    options.nonNegativeInt("warmup", 200),
                    options.positiveInt("members", 3),
                    options.positiveInt("users", 100),
                    options.optionalUri("redis", Set.of("redis")));
            if (config.users() > MAX_USERS) {
                throw new UsageException("option --users must be at most " + MAX_USERS + " (what PublishToUsers takes): " + config.users());
            }
            return config;
        }

        int usersOnline() {
            return users / 2;
        }
    }

    private static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);
    private static final long TIMEOUT_SECONDS = 10;
    private static final int CONNECT_RATE = 500;

    /** One operation: its untimed set-up and clean-up around the part it marks for the timer. */
    private interface Step {
        void run(int i, OpTimer timer) throws ExecutionException, TimeoutException, InterruptedException;
    }

    /** An operation ready to run, and what it does, for the report. */
    private record Prepared(String what, Step step) {
    }

    /** An answer that is not what the operation must return: the operation failed, however fast it was. */
    private static final class WrongAnswer extends RuntimeException {
        WrongAnswer(String message) {
            super(message);
        }
    }

    private final Config config;
    // Set up by run() before the operations are prepared.
    private String prefix;
    private DinoClient me;
    private List<DinoClient> members;
    private List<String> targets;
    private BackendGrpc.BackendBlockingStub backend;

    OpsWorkload(Config config) {
        this.config = config;
    }

    @Override
    public ObjectNode run() throws Exception {
        long cpuStart = Cpu.processCpuNanos();
        prefix = "lg-" + Layout.newRunId() + "-";
        boolean publishing = config.ops().contains(Operation.PUBLISH_USERS);
        targets = publishing ? names(prefix + "u", config.users()) : List.of();
        List<String> users = new ArrayList<>();
        users.add(prefix + "me");
        int memberCount = config.ops().contains(Operation.JOIN_MEMBERS) ? config.members() : 0;
        users.addAll(names(prefix + "m", memberCount));
        users.addAll(targets.subList(0, publishing ? config.usersOnline() : 0));

        RedisInfo redis = config.redis().map(RedisInfo::connect).orElse(null);
        ManagedChannel channel = NettyChannelBuilder.forTarget(config.target().grpc()).usePlaintext().build();
        Metadata headers = new Metadata();
        headers.put(API_KEY, config.target().apiKey());
        backend = BackendGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        try (Connector connector = new Connector(config.target().url())) {
            List<DinoClient> clients = connect(connector, users);
            me = clients.getFirst();
            members = clients.subList(1, 1 + memberCount);

            ObjectNode report = Json.object();
            report.put("workload", NAME);
            report.put("url", config.target().url().toString());
            report.put("grpc", config.target().grpc());
            config.redis().ifPresent(uri -> report.put("redis", uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort())));
            report.put("warmup", config.warmup());
            report.put("count", config.count());
            ObjectNode operations = report.putObject("operations");
            for (Operation op : config.ops()) {
                Log.info("%s: setting up", op.label);
                operations.set(op.label, measure(op, prepare(op), redis));
            }
            connector.closeAll(clients, Duration.ofSeconds(30));
            report.set("generator", Json.object().put("cpuSeconds", Json.round3((Cpu.processCpuNanos() - cpuStart) / 1e9)));
            return report;
        } finally {
            channel.shutdownNow();
            channel.awaitTermination(5, TimeUnit.SECONDS);
            if (redis != null) {
                redis.close();
            }
        }
    }

    private Prepared prepare(Operation op) throws ExecutionException, TimeoutException, InterruptedException {
        return switch (op) {
            case JOIN -> new Prepared("join a fresh empty room; then leave it, untimed", (i, timer) -> {
                String room = prefix + "j" + i;
                timer.start();
                await(me.join(room));
                timer.stop();
                await(me.leave(room));
            });
            case JOIN_MEMBERS -> {
                List<String> rooms = names(prefix + "p", MEMBER_ROOMS);
                for (String room : rooms) {
                    for (DinoClient member : members) {
                        await(member.join(room));
                    }
                }
                yield new Prepared("join a room " + config.members() + " other users are in (one session each, on this node);"
                        + " then leave it, untimed", (i, timer) -> {
                    String room = rooms.get(i % rooms.size());
                    timer.start();
                    await(me.join(room));
                    timer.stop();
                    await(me.leave(room));
                });
            }
            case HISTORY -> {
                String room = prefix + "h";
                for (int m = 0; m < HISTORY_MESSAGES; m++) {
                    backend.withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS).publishToRoom(PublishToRoomRequest.newBuilder()
                            .setRoom(room).setBodyJson("{\"m\":" + m + "}").setSender("loadgen").build());
                }
                yield new Prepared("history of a room holding " + HISTORY_MESSAGES + " messages, limit " + HISTORY_LIMIT
                        + "; the session is not in the room", (i, timer) -> {
                    timer.start();
                    JsonNode page = await(me.history(room, HISTORY_LIMIT));
                    expect(page.path("messages").size() == HISTORY_LIMIT, "history returned " + page.path("messages").size() + " messages");
                    timer.stop();
                });
            }
            case PUBLISH_USERS -> new Prepared("PublishToUsers to " + config.users() + " users, " + config.usersOnline()
                    + " of them online on this node (one session each), with an idempotency key", (i, timer) -> {
                PublishToUsersRequest request = PublishToUsersRequest.newBuilder().addAllUsers(targets)
                        .setBodyJson("{\"n\":" + i + "}").setSender("loadgen").setIdempotencyKey(prefix + i).build();
                timer.start();
                PublishToUsersResponse response = backend.withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS).publishToUsers(request);
                expect(response.getResultsCount() == targets.size(), "PublishToUsers returned " + response.getResultsCount() + " results");
                timer.stop();
            });
        };
    }

    /** Warm-up, then the measured operations; an operation that fails is counted, not timed. */
    private ObjectNode measure(Operation op, Prepared prepared, RedisInfo redis) throws InterruptedException {
        Failures warmupFailures = new Failures();
        Log.info("%s: %d warm-up operations", op.label, config.warmup());
        for (int i = 0; i < config.warmup(); i++) {
            attempt(prepared.step(), i, OpTimer.NONE, warmupFailures);
        }
        Failures failures = new Failures();
        OpMeter meter = new OpMeter(Ticker.SYSTEM, redis == null ? null : redis::read);
        Log.info("%s: %d measured operations", op.label, config.count());
        for (int i = 0; i < config.count(); i++) {
            attempt(prepared.step(), config.warmup() + i, meter, failures);
        }
        ObjectNode result = Json.object().put("what", prepared.what());
        result.setAll(meter.report());
        result.put("failures", failures.total());
        if (failures.total() > 0) {
            result.set("failuresByReason", Json.counts(failures.counts()));
        }
        result.put("warmupFailures", warmupFailures.total());
        JsonNode latency = result.path("latencyMs");
        Log.info("%s: p50 %s ms, p99 %s ms, %s ops/s, %d failed", op.label, latency.path("p50"), latency.path("p99"),
                result.path("opsPerSecond"), failures.total());
        return result;
    }

    private static void attempt(Step step, int i, OpTimer timer, Failures failures) throws InterruptedException {
        try {
            step.run(i, timer);
        } catch (ExecutionException e) {
            failures.add("op", e.getCause());
        } catch (TimeoutException | StatusRuntimeException | WrongAnswer e) {
            failures.add("op", e);
        }
    }

    /** Mints tokens for the users and connects one session each; all of them, or the workload cannot run. */
    private List<DinoClient> connect(Connector connector, List<String> users) throws InterruptedException {
        Log.info("minting %d tokens via %s", users.size(), config.target().grpc());
        Tokens.Minted minted;
        try (Tokens tokens = new Tokens(config.target().grpc(), config.target().apiKey())) {
            minted = tokens.mintAll(users);
        }
        if (minted.failures().total() > 0) {
            throw new IllegalStateException("could not mint every token: " + minted.failures().counts());
        }
        Log.info("connecting %d sessions to %s", users.size(), config.target().url());
        Connector.Result result = connector.connectAll(minted.tokens(), CONNECT_RATE, i -> connector.builder());
        if (result.failed() > 0) {
            connector.closeAll(result.connectedClients(), Duration.ofSeconds(30));
            throw new IllegalStateException("could not connect every session: " + result.failures().counts());
        }
        return result.clients();
    }

    private static <T> T await(CompletableFuture<T> future) throws ExecutionException, TimeoutException, InterruptedException {
        return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private static void expect(boolean condition, String failure) {
        if (!condition) {
            throw new WrongAnswer(failure);
        }
    }

    private static List<String> names(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }
}
