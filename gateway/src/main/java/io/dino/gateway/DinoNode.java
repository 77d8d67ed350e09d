package io.dino.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dino.gateway.auth.ApiKeys;
import io.dino.gateway.auth.TokenMinter;
import io.dino.gateway.auth.TokenVerifier;
import io.dino.gateway.config.ConfigLoader;
import io.dino.gateway.config.GatewayConfig;
import io.dino.gateway.core.Hub;
import io.dino.gateway.core.Ids;
import io.dino.gateway.core.Operations;
import io.dino.gateway.core.RoomPolicy;
import io.dino.gateway.edge.demo.DemoPage;
import io.dino.gateway.edge.grpc.ApiKeyInterceptor;
import io.dino.gateway.edge.grpc.ModerationService;
import io.dino.gateway.edge.grpc.EventsService;
import io.dino.gateway.events.DomainEvents;
import io.dino.gateway.ops.EventsOut;
import io.dino.gateway.engine.memory.MemoryEventLog;
import io.dino.gateway.edge.grpc.RolesService;
import io.dino.gateway.edge.grpc.RoomsService;
import io.dino.gateway.edge.grpc.BackendService;
import io.dino.gateway.edge.grpc.CallTracker;
import io.dino.gateway.edge.grpc.GrpcServer;
import io.dino.gateway.edge.http.BrokenClientLog;
import io.dino.gateway.edge.http.HandshakeTimeout;
import io.dino.gateway.edge.json.ExactNumbers;
import io.dino.gateway.edge.json.JsonBodies;
import io.dino.gateway.edge.ws.WsEndpoint;
import io.dino.gateway.engine.Engine;
import io.dino.gateway.ops.BuildInfo;
import io.dino.gateway.engine.memory.IdempotencyCache;
import io.dino.gateway.engine.memory.MemoryBroker;
import io.dino.gateway.engine.redis.RedisEngine;
import io.dino.gateway.engine.redis.RedisSettings;
import io.dino.gateway.ops.Drain;
import io.dino.gateway.ops.GatewayMetrics;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.helidon.common.socket.SocketOptions;
import io.helidon.config.Config;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.MetricsConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One running gateway node, wired by hand: config → engine → core → edges → server. Tests start
 * nodes through {@link #start(Config)} exactly as {@code Main} does.
 */
public final class DinoNode implements AutoCloseable {

    private static final Logger LOG = System.getLogger(DinoNode.class.getName());
    /** Helidon closes a socket whose single frame exceeds this; smaller oversized frames get FRAME_TOO_LARGE. */
    private static final int HARD_FRAME_LIMIT_FACTOR = 4;
    /** The listener of the /observe endpoints when dino.management.port is set. */
    private static final String MANAGEMENT_SOCKET = "management";
    /** The memory engine's events log keeps at most this many (dino.events.max-length is for the Redis stream). */
    private static final long MEMORY_EVENTS_CAP = 100_000;
    /** The memory engine's events hold message bodies: at most this much of them, or an eighth of the heap if less. */
    private static final long MEMORY_EVENTS_BYTES = 32L << 20;

    private final GatewayConfig config;
    private final Engine engine;
    private final GatewayMetrics metrics;
    private final WsEndpoint wsEndpoint;
    private final CallTracker calls;
    private final HealthStatusManager grpcHealth;
    private final ApiKeys apiKeys;
    private final io.dino.gateway.limits.ApiKeyLimits apiKeyLimits;
    /** The WebSocket sessions' rate limits; its per-user buckets of users gone are swept every 10 s. */
    private final io.dino.gateway.limits.SessionLimits sessionLimits;
    private final BackendService backend;
    private final RolesService roles;
    private final RoomsService roomsService;
    private final ModerationService moderationService;
    private final io.dino.gateway.edge.grpc.ReceiptsService receiptsService;
    private final EventsService eventsService;
    private final io.dino.gateway.edge.grpc.TokensService tokensService;
    private final String host;
    private final int configuredPort;
    private volatile GrpcServer grpcServer;
    private final Drain drain;
    /** Starts a virtual thread per task: the WebSocket writers (while queues wait), connection watchers, clean-ups. */
    private static final ThreadFactory WRITER_THREADS = Thread.ofVirtual().factory();  // thread-safe, unlike a builder
    private static final Executor WRITERS = command -> WRITER_THREADS.newThread(command).start();
    private final ScheduledExecutorService timers;
    private final WebServer server;
    private final Hub hub;
    /** Removes ephemeral rooms left empty (on every node: leader-free). */
    private final io.dino.gateway.core.EphemeralSweeper sweeper;
    private final AtomicBoolean stopped = new AtomicBoolean();
    /** Set once every listener is up: until then the node is not ready (the HTTP port answers first). */
    private volatile boolean started;
    private final String advertisedHost;
    private static final String INFO_PATH = "/observe/info";
    private static final ObjectMapper INFO_JSON = new ObjectMapper();
    private final BuildInfo buildInfo = BuildInfo.current();
    /** Set when dino.demo.enabled. */
    private final Optional<DemoPage> demo;
    /** Set when dino.admin.enabled. */
    private final Optional<io.dino.gateway.edge.admin.AdminConsole> admin;

    private DinoNode(Config root) {
        this.config = ConfigLoader.gateway(root);
        this.host = root.get("server.host").asString().orElse("0.0.0.0");
        this.configuredPort = root.get("server.port").asInt().orElse(0);
        this.advertisedHost = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        InstantSource clock = InstantSource.system();
        // buffers from a shared pool: the default keeps them per thread, i.e. ~16 KiB per connection's virtual thread
        ObjectMapper mapper = ExactNumbers.configure(new ObjectMapper(JsonFactory.builder()
                .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                .build()));
        MeterRegistry registry = Metrics.globalRegistry();
        this.metrics = new GatewayMetrics(registry, config.nodeId());
        this.engine = switch (config.engine()) {
            case MEMORY -> memoryEngine(config, clock);
            case REDIS -> RedisEngine.start(config.nodeId(), redisSettings(config), clock, new RedisEngine.EventSettings(
                    config.events().stream(), config.events().maxLength(), config.events().queue(),
                    lost -> metrics.eventsDropped("failed", lost)),
                    new RedisEngine.Meters(metrics::inboxLag, metrics::inboxReadFailed));
        };
        // a snapshot's reads concurrently on Redis (its connection pipelines them: one round trip); in turn in memory
        java.util.concurrent.Executor reads = config.engine() == GatewayConfig.EngineKind.MEMORY
                ? Runnable::run : java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        RoomPolicy policy = new RoomPolicy(engine.acls(), engine.directory(), engine.roles(), engine.sanctions(), clock, reads,
                config.rooms().openRooms());
        this.hub = new Hub(engine.broker(), policy, WsEndpoint.eventEncoder(mapper), metrics);
        engine.broker().start(hub);
        reportLoad();  // before the HTTP port answers: the admin console's nodes view never sees this node unreported

        ScheduledThreadPoolExecutor timerPool =
                new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("dino-timer").daemon().factory());
        // a cancelled auth timeout (or token expiry timer) must not keep its connection reachable until it would have fired
        timerPool.setRemoveOnCancelPolicy(true);
        this.timers = timerPool;
        TokenVerifier verifier = new TokenVerifier(config.auth());
        Operations operations = Operations.create(config.nodeId(), engine, hub, policy, config, metrics, clock,
                config.events().enabled() ? new EventsOut(config.nodeId(), engine.events(), metrics) : DomainEvents.NONE,
                verifier, timers);
        // the admin room exists before any session can report; the blacklist is compiled before any send
        operations.reports().adminRoom().ensure(operations.admin(), engine.directory());
        operations.blacklist().refresh();
        operations.blacklist().refreshEvery(timers, config.abuse().blacklistRefresh());

        this.sweeper = new io.dino.gateway.core.EphemeralSweeper(engine.directory(), engine.presence(), operations.admin(),
                config.rooms().ephemeralLinger(), clock);
        io.dino.gateway.limits.NanoClock nanoClock = io.dino.gateway.limits.NanoClock.system();
        this.sessionLimits = new io.dino.gateway.limits.SessionLimits(config.rates(), nanoClock, metrics::rateLimited);
        this.wsEndpoint = new WsEndpoint(operations, mapper, verifier, config.limits(), metrics, WRITERS, timers, sessionLimits,
                config.trustedProxies());
        this.apiKeyLimits = new io.dino.gateway.limits.ApiKeyLimits(config.apiKeys(), config.rates().apiKeyCalls(), nanoClock,
                metrics::rateLimited);
        this.calls = new CallTracker(metrics);
        this.grpcHealth = new HealthStatusManager();
        this.drain = new Drain();

        // one line, rate-limited, instead of a stack trace per client that breaks off (docs/operations.md, Logs)
        BrokenClientLog brokenClients = BrokenClientLog.install();
        this.apiKeys = new ApiKeys(config.apiKeys());
        if (apiKeys.isEmpty()) {
            LOG.log(Level.WARNING, "no dino.api-keys configured: every backend API call will be refused");
        }
        this.demo = config.demo().enabled() ? Optional.of(new DemoPage(config, mapper, clock)) : Optional.empty();
        demo.ifPresent(page -> {
            if (page.mintsTokens()) {
                LOG.log(Level.WARNING, "the demo page''s token endpoint ({0}/token) is live: it gives anyone a token for "
                        + "any user; unsafe for production (dino.dev-mode and dino.demo.enabled must be off there)", DemoPage.PATH);
            } else {
                LOG.log(Level.INFO, "the demo page is served at {0}/; its token endpoint refuses requests (no dino.dev-mode, "
                        + "or no HMAC secret)", DemoPage.PATH);
            }
        });
        this.admin = config.admin().enabled()
                ? Optional.of(new io.dino.gateway.edge.admin.AdminConsole(operations, hub, engine.nodes(), config.nodeId(), apiKeys,
                        verifier, mapper, clock))
                : Optional.empty();
        admin.ifPresent(console -> LOG.log(Level.INFO, "the admin console is served at {0}/ (operators and API keys only); "
                + "do not expose it publicly", io.dino.gateway.edge.admin.AdminConsole.PATH));
        this.backend = new BackendService(operations, new JsonBodies(mapper),
                new TokenMinter(config.auth(), clock), metrics);
        this.roles = new RolesService(operations.roles(), metrics);
        this.roomsService = new RoomsService(operations.admin(),
                new io.dino.gateway.core.JoinableRooms(engine.directory(), policy, operations.admin()), metrics);
        this.moderationService = new ModerationService(operations.moderation(), operations.deletes(), operations.blacklist(),
                operations.sanctions(), metrics);
        this.receiptsService = new io.dino.gateway.edge.grpc.ReceiptsService(operations.receipts(), metrics);
        this.eventsService = new EventsService(engine.events(), config.events().maxWatchers(), metrics);
        this.tokensService = new io.dino.gateway.edge.grpc.TokensService(operations.tokens(), metrics);
        this.server = WebServer.builder()
                // small frames (chat messages, pings) must not wait for delayed ACKs
                .connectionOptions(SocketOptions.builder().tcpNoDelay(true).build())
                // blocking sockets: Helidon's NIO socket holds two 8 KiB buffers per connection, the plain one one
                // (server.use-nio in the configuration still overrides this)
                .useNio(false)
                .config(root.get("server"))
                // after config: wraps the connection options it gives, too
                .update(builder -> builder.connectionOptions(new HandshakeTimeout(
                        builder.connectionOptions().orElseGet(SocketOptions::create), config.limits().handshakeTimeout(),
                        timers, metrics, brokenClients)))
                .shutdownHook(false)
                .addProtocol(WsConfig.builder()
                        .maxFrameLength(config.limits().maxFrameBytes() * HARD_FRAME_LIMIT_FACTOR)
                        // empty: Helidon accepts only an Origin naming the request's Host; without Origin (not a
                        // browser) any request passes either way (docs/protocol.md, Transport)
                        .origins(config.allowedOrigins())
                        .build())
                .addRouting(WsRouting.builder().endpoint(config.wsPath(), wsEndpoint))
                // one routing for the pages and /observe/info: a second builder.routing(...) would replace the first
                .update(builder -> builder.routing(http -> {
                    demo.ifPresent(page -> page.routing(http));
                    admin.ifPresent(console -> console.routing(http));
                    if (config.managementPort().isEmpty()) {
                        http.get(INFO_PATH, this::info);
                    }
                }))
                .update(builder -> config.managementPort().ifPresent(port -> builder.putSocket(MANAGEMENT_SOCKET,
                        socket -> socket.host(host).port(port))))
                .update(builder -> config.managementPort().ifPresent(port -> builder.routing(MANAGEMENT_SOCKET,
                        http -> http.get(INFO_PATH, this::info))))
                .addFeature(ObserveFeature.builder()
                        .sockets(config.managementPort().isPresent() ? List.of(MANAGEMENT_SOCKET) : List.of(WebServer.DEFAULT_SOCKET_NAME))
                        .addObserver(HealthObserver.builder()
                                .details(true)
                                .addCheck(this::readiness, HealthCheckType.READINESS, "dino")
                                .build())
                        .addObserver(MetricsObserver.builder()
                                .meterRegistry(registry)
                                .metricsConfig(MetricsConfig.create(root.get("metrics")))
                                .build())
                        .build())
                .build();
    }

    /** Builds and starts a node from the whole configuration tree (server and dino sections). */
    public static DinoNode start(Config root) {
        DinoNode node = new DinoNode(root);
        node.server.start();
        if (!node.server.isRunning() || node.server.port() < 0) {
            node.shutdown();
            throw new IllegalStateException("the server could not listen (is port "
                    + root.get("server.port").asString().orElse("8080") + " already in use?)");
        }
        try {
            node.grpcServer = node.startGrpc();
        } catch (RuntimeException e) {
            node.shutdown();
            throw e;
        }
        long pingMillis = node.config.limits().pingInterval().toMillis();
        node.timers.scheduleAtFixedRate(node.wsEndpoint::pingAll, pingMillis, pingMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        node.sweeper.start(node.timers, WRITERS);
        node.timers.scheduleAtFixedRate(node.sessionLimits::sweep, 10, 10, java.util.concurrent.TimeUnit.SECONDS);
        node.grpcHealth.setStatus("", ServingStatus.SERVING);
        node.started = true;
        LOG.log(Level.INFO, "node {0} started on port {1} (gRPC on {2}) with the {3} engine",
                node.config.nodeId(), String.valueOf(node.port()), String.valueOf(node.grpcPort()), node.engine.name());
        return node;
    }

    /** What this node reports of its load to operators (engine.nodes()), read on the engine's housekeeping. */
    private void reportLoad() {
        long startedAt = System.currentTimeMillis();
        String version = buildInfo.version() + " (" + buildInfo.commit() + ")";  // mixed builds stand out
        engine.nodes().reportFrom(() -> new io.dino.gateway.engine.Nodes.NodeLoad(config.nodeId(), version, startedAt,
                System.currentTimeMillis(), hub.sessionCount(), hub.userCount(), hub.roomCount()));
    }

    /** The admin console's URL, when dino.admin.enabled. */
    public Optional<String> adminUrl() {
        return admin.map(console -> "http://" + advertisedHost + ":" + port() + io.dino.gateway.edge.admin.AdminConsole.PATH + "/");
    }

    /** The address clients use: the configured host, or loopback when listening on every interface. */
    public String host() {
        return advertisedHost;
    }

    /**
     * The node's shared state. For tools and tests that need to read or seed it directly (e.g. registering
     * channels and rooms in the directory where no API call does that yet); the node keeps using it.
     */
    public Engine engine() {
        return engine;
    }

    public int port() {
        return server.port();
    }

    /** The port of the backend API (gRPC). */
    public int grpcPort() {
        return grpcServer.port();
    }

    /** The port of the /observe endpoints: the management listener's when there is one, else the main port. */
    public int managementPort() {
        return config.managementPort().isPresent() ? server.port(MANAGEMENT_SOCKET) : server.port();
    }

    /** The demo page's URL, when dino.demo.enabled. */
    public Optional<String> demoUrl() {
        return demo.map(page -> "http://" + advertisedHost + ":" + port() + DemoPage.PATH + "/");
    }

    public String nodeId() {
        return config.nodeId();
    }

    public GatewayConfig config() {
        return config;
    }

    /** Sessions authenticated on this node. */
    public int sessionCount() {
        return hub.sessionCount();
    }

    /** Graceful shutdown: see {@link Drain}. Safe to call more than once. */
    public void shutdown() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        try {
            grpcHealth.enterTerminalState();
        } catch (RuntimeException e) {
            // telling a health watcher whose connection is gone throws; the shutdown must go on regardless
            LOG.log(Level.DEBUG, "a gRPC health watcher could not be told NOT_SERVING", e);
        }
        sweeper.close();  // the drain empties rooms: nothing to remove for a node on its way out
        eventsService.stop();  // event watchers end at once (OK): they would hold the gRPC drain to its grace period
        boolean interrupted = false;
        try {
            drain.run(wsEndpoint.shutdownTasks(), wsEndpoint::openConnections, calls::refuseNewCalls, calls::awaitIdle,
                    config.shutdown().drainPeriod(), config.shutdown().grpcGrace());
        } catch (InterruptedException e) {
            // an interrupt cuts the drain short; the node still stops
            interrupted = true;
            LOG.log(Level.WARNING, "drain interrupted: stopping at once");
        }
        interrupted |= stopGrpc();
        server.stop();
        timers.shutdownNow();
        engine.close();
        metrics.close();
        LOG.log(Level.INFO, "node {0} stopped", config.nodeId());
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        shutdown();
    }

    /** dino.grpc.port, else the port after the main one, else (main port chosen at random) any free port. */
    private GrpcServer startGrpc() {
        int port = config.grpc().port().orElse(configuredPort > 0 ? configuredPort + 1 : 0);
        return GrpcServer.start(host, port, config.grpc(), config.limits().handshakeTimeout(),
                List.of(calls, new ApiKeyInterceptor(apiKeys), new io.dino.gateway.edge.grpc.ApiKeyRateInterceptor(apiKeyLimits)),
                List.of(backend, roles, roomsService, moderationService, receiptsService, eventsService, tokensService,
                        grpcHealth.getHealthService(),
                        ProtoReflectionServiceV1.newInstance(), ProtoReflectionService.newInstance()));
    }

    /** True if interrupted while waiting for the gRPC server to stop. */
    private boolean stopGrpc() {
        if (grpcServer == null) {
            return false;
        }
        try {
            grpcServer.stop();
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }

    /** GET /observe/info: version, commit, build time, Java version, engine and node id (docs/operations.md). */
    private void info(io.helidon.webserver.http.ServerRequest request, io.helidon.webserver.http.ServerResponse response) {
        try {
            response.header(io.helidon.http.HeaderValues.CONTENT_TYPE_JSON);
            response.send(INFO_JSON.writeValueAsString(buildInfo.describe(engine.name(), config.nodeId())));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What this build is (version, commit, build time, Java). */
    public BuildInfo buildInfo() {
        return buildInfo;
    }

    private HealthCheckResponse readiness() {
        java.util.Optional<String> engineProblem = engine.broker().unavailable();
        boolean ready = started && !drain.isDraining() && engineProblem.isEmpty();
        HealthCheckResponse.Builder response = HealthCheckResponse.builder();
        engineProblem.ifPresent(problem -> response.detail("engineProblem", problem));
        return response
                .status(ready)
                .detail("engine", engine.name())
                .detail("engineAvailable", engineProblem.isEmpty())
                .detail("node", config.nodeId())
                .detail("started", started)
                .detail("draining", drain.isDraining())
                .build();
    }

    private static RedisSettings redisSettings(GatewayConfig config) {
        return new RedisSettings(config.redis().uri(), config.redis().prefix(), config.redis().commandTimeout(),
                config.history().retainedPerLog(), config.history().maxAge(), config.history().idempotencyWindow(),
                config.redis().inboxMaxLength(),
                config.cluster().heartbeatInterval(), config.cluster().nodeTimeout(),
                config.redis().clusterNodes(), config.redis().clusterRefresh(),
                config.redis().waitReplicas(), config.redis().waitTimeout());
    }

    private static Engine memoryEngine(GatewayConfig config, InstantSource clock) {
        String epoch = Ids.next(clock.millis()).substring(10, 18).toLowerCase(java.util.Locale.ROOT);
        MemoryBroker broker = new MemoryBroker(epoch, config.history().retainedPerLog(), config.history().maxAge(),
                config.history().memoryBudget(),
                new IdempotencyCache(config.history().idempotencyWindow(), 100_000, clock), clock);
        return io.dino.gateway.engine.memory.MemoryEngine.create(broker, config.history().maxAge(),
                new MemoryEventLog(Math.min(config.events().maxLength(), MEMORY_EVENTS_CAP),
                        Math.min(MEMORY_EVENTS_BYTES, Runtime.getRuntime().maxMemory() / 8)), clock);
    }
}
