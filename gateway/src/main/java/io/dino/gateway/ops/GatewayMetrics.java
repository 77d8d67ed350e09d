package io.dino.gateway.ops;

import io.dino.gateway.core.ErrorCode;
import io.dino.gateway.core.Event;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The node's own meters (docs/operations.md lists them). Counters are looked up once and cached, so
 * the hot path increments a counter and does no registry look-up. Every meter carries the node id:
 * the JVM's meters live in Helidon's global registry, and nodes sharing a JVM (tests) must not share
 * or remove each other's meters.
 */
public final class GatewayMetrics implements AutoCloseable {

    private static final String SCOPE = "application";

    private final MeterRegistry registry;
    private final Tag node;
    private final List<Meter> registered = new ArrayList<>();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final Map<String, Counter> commandsIn = new ConcurrentHashMap<>();
    private final Map<String, Counter> framesOut = new ConcurrentHashMap<>();
    private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);
    private final Map<String, Counter> grpcCalls = new ConcurrentHashMap<>();
    private final Timer publishLatency;
    private final Counter handshakeTimeouts;
    private final Counter visibilityFailures;
    private final Counter receiptRelayFailures;
    private final java.util.concurrent.atomic.AtomicLong inboxLagMillis = new java.util.concurrent.atomic.AtomicLong();
    private final Counter inboxReadFailures;
    private final Map<io.dino.gateway.limits.Limited, Counter> rateLimited = new EnumMap<>(io.dino.gateway.limits.Limited.class);

    public GatewayMetrics(MeterRegistry registry, String nodeId) {
        this.registry = registry;
        this.node = Tag.create("node", nodeId);
        register(Gauge.builder("dino.connections", openConnections::get)
                .description("Open WebSocket connections, authenticated or not")
                .tags(List.of(node))
                .scope(SCOPE));
        this.publishLatency = register(Timer.builder("dino.publish.latency")
                .description("Time to store a publication in the engine and route it")
                .buckets(Duration.ofNanos(100_000), Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
                        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
                        Duration.ofSeconds(1))
                .tags(List.of(node))
                .scope(SCOPE));
        this.handshakeTimeouts = register(Counter.builder("dino.handshake.timeouts")
                .description("Connections closed because they sent no complete request head in time")
                .tags(List.of(node))
                .scope(SCOPE));
        this.visibilityFailures = register(Counter.builder("dino.visibility.failures")
                .description("Rooms in which a user's change to or from invisible could not be applied (the engine failed)")
                .tags(List.of(node))
                .scope(SCOPE));
        this.receiptRelayFailures = register(Counter.builder("dino.receipts.relay.failures")
                .description("Receipts stored but not told to everyone (a control command failed)")
                .tags(List.of(node))
                .scope(SCOPE));
        register(Gauge.builder("dino.inbox.lag.seconds", () -> inboxLagMillis.get() / 1000.0)
                .description("How long the oldest entry of the last inbox read waited in Redis (0 with the memory engine)")
                .tags(List.of(node))
                .scope(SCOPE));
        this.inboxReadFailures = register(Counter.builder("dino.inbox.read.failures")
                .description("Reads of this node's Redis inbox that failed (retried with backoff)")
                .tags(List.of(node))
                .scope(SCOPE));
        for (io.dino.gateway.limits.Limited kind : io.dino.gateway.limits.Limited.values()) {
            rateLimited.put(kind, register(Counter.builder("dino.rate.limited")
                    .description("Requests refused by a rate limit, by the budget that refused them")
                    .tags(List.of(node, Tag.create("kind", kind.label())))
                    .scope(SCOPE)));
        }
        for (ErrorCode code : ErrorCode.values()) {
            errors.put(code, register(Counter.builder("dino.errors")
                    .description("Errors returned to clients and backends, by error name")
                    .tags(List.of(node, Tag.create("code", code.name())))
                    .scope(SCOPE)));
        }
    }

    public void connectionOpened() {
        openConnections.incrementAndGet();
    }

    public void connectionClosed() {
        openConnections.decrementAndGet();
    }

    /** A command frame arrived; {@code command} is its name, or "invalid" when it had none. */
    public void commandReceived(String command) {
        commandsIn.computeIfAbsent(command, kind -> counter("dino.messages.in", "Frames received from clients, by command", kind))
                .increment();
    }

    /** Frames written to clients, by kind: a reply, an error, or an event type. */
    public void framesSent(String kind, int count) {
        framesOut.computeIfAbsent(kind, k -> counter("dino.messages.out", "Frames queued to clients, by kind", k))
                .increment(count);
    }

    public void delivered(Event event, int sessions) {
        framesSent(switch (event) {
            case Event.RoomMessage ignored -> "message";
            case Event.PrivateMessage ignored -> "private";
            case Event.BroadcastMessage ignored -> "broadcast";
            case Event.Membership membership -> membership.joined() ? "joined" : "left";
            case Event.Removed ignored -> "removed";
            case Event.Renamed ignored -> "renamed";
            case Event.Kicked ignored -> "kicked";
            case Event.Status ignored -> "status";
            case Event.Disconnect ignored -> "disconnect";
            case Event.Receipt ignored -> "receipt";
            case Event.Deletion deletion -> deletion.restored() ? "restored" : "deleted";
            case Event.Banned ignored -> "banned";
            case Event.Unbanned ignored -> "unbanned";
            case Event.Muted muted -> muted.muted() ? "muted" : "unmuted";
            case Event.Expiring ignored -> "expiring";
        }, sessions);
    }

    /** Hiding or showing a user who went invisible or visible failed in one room. */
    public void visibilityFailed() {
        visibilityFailures.increment();
    }

    /** A receipt was stored but telling its senders or its room failed (logged as a warning). */
    public void receiptRelayFailed() {
        receiptRelayFailures.increment();
    }

    /** A connection was closed by dino.limits.handshake-timeout. */
    public void handshakeTimedOut() {
        handshakeTimeouts.increment();
    }

    /** A WebSocket frame or a backend call was refused by the rate limit {@code kind}. */
    public void rateLimited(io.dino.gateway.limits.Limited kind) {
        rateLimited.get(kind).increment();
    }

    /** The Redis engine read its inbox: the oldest entry it got had waited {@code millis} (0: nothing new). */
    public void inboxLag(long millis) {
        inboxLagMillis.set(millis);
    }

    /** Reading the Redis inbox failed (it is retried). */
    public void inboxReadFailed() {
        inboxReadFailures.increment();
    }

    public void error(ErrorCode code) {
        errors.get(code).increment();
    }

    public void published(long nanos) {
        publishLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Reports {@code active} as the number of backend API calls open now, health watches included. */
    public void grpcCallsActive(IntSupplier active) {
        register(Gauge.builder("dino.grpc.calls.active", active::getAsInt)
                .description("Backend API calls open now, health watches included")
                .tags(List.of(node))
                .scope(SCOPE));
    }

    public void grpcCall(String method, String status) {
        grpcCalls.computeIfAbsent(method + ' ' + status, key -> register(Counter.builder("dino.grpc.calls")
                        .description("Backend API calls, by method and status")
                        .tags(List.of(node, Tag.create("method", method), Tag.create("status", status)))
                        .scope(SCOPE)))
                .increment();
    }

    // ---- events out (docs/events.md)

    private volatile Counter eventsEmitted;
    private final Map<String, Counter> eventsDropped = new ConcurrentHashMap<>();

    /** Registers the events meters (at 0): every node serves them, events enabled or not. */
    public void eventWatchers(IntSupplier watchers) {
        eventsEmitted = register(Counter.builder("dino.events.emitted")
                .description("Domain events this node handed to its events log")
                .tags(List.of(node))
                .scope(SCOPE));
        for (String reason : List.of("queue-full", "failed")) {
            eventsDropped.put(reason, register(Counter.builder("dino.events.dropped")
                    .description("Domain events this node dropped instead of appending them to the events log")
                    .tags(List.of(node, Tag.create("reason", reason)))
                    .scope(SCOPE)));
        }
        register(Gauge.builder("dino.events.watchers", watchers::getAsInt)
                .description("WatchEvents streams open on this node")
                .tags(List.of(node))
                .scope(SCOPE));
    }

    public void eventEmitted() {
        Counter counter = eventsEmitted;
        if (counter != null) {
            counter.increment();
        }
    }

    /** {@code reason}: {@code queue-full} (refused at once) or {@code failed} (accepted, then the write failed). */
    public void eventsDropped(String reason, int count) {
        Counter counter = eventsDropped.get(reason);
        if (counter != null) {
            counter.increment(count);
        }
    }

    private Counter counter(String name, String description, String kind) {
        return register(Counter.builder(name).description(description).tags(List.of(node, Tag.create("kind", kind))).scope(SCOPE));
    }

    private synchronized <M extends Meter, B extends Meter.Builder<B, M>> M register(B builder) {
        M meter = registry.getOrCreate(builder);
        registered.add(meter);
        return meter;
    }

    /** Removes this node's meters, so another node in the same JVM (tests) starts from its own. */
    @Override
    public synchronized void close() {
        registered.forEach(registry::remove);
        registered.clear();
    }
}
