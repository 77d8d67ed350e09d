package io.dino.gateway.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dino.gateway.config.ConfigLoader;
import io.dino.gateway.config.GatewayConfig;
import io.dino.gateway.edge.ws.WsEndpoint;
import io.dino.gateway.engine.Sanctions.Target;
import io.dino.gateway.engine.memory.IdempotencyCache;
import io.dino.gateway.engine.memory.MemoryBroker;
import io.dino.gateway.engine.memory.MemoryDirectory;
import io.dino.gateway.engine.memory.MemoryPresenceStore;
import io.dino.gateway.engine.memory.MemoryRoles;
import io.dino.gateway.engine.memory.MemoryRoomAcls;
import io.dino.gateway.events.DomainEvent;
import io.dino.gateway.events.EventType;
import io.dino.gateway.ops.GatewayMetrics;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.metrics.api.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Bans and mutes emit the domain events BANNED, UNBANNED, MUTED, UNMUTED with scope, target, until and reason. */
class SanctionEventsTest {

    /** Tokens for refresh and their expiry timers: none fire in these tests (no session lives that long). */
    private static final io.dino.gateway.auth.TokenVerifier VERIFIER = new io.dino.gateway.auth.TokenVerifier(
            new io.dino.gateway.auth.AuthSettings(java.util.List.of("0123456789abcdef0123456789abcdef"), java.util.List.of(),
                    java.util.Optional.empty(), java.util.Optional.empty(), java.time.Duration.ZERO, java.time.Duration.ofHours(1)));
    private static final java.util.concurrent.ScheduledExecutorService TIMERS =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private final List<DomainEvent> emitted = new CopyOnWriteArrayList<>();
    private final GatewayMetrics metrics = new GatewayMetrics(Metrics.globalRegistry(), "events-node");
    private final SanctionOperations sanctions = operations().sanctions();

    @AfterEach
    void close() {
        metrics.close();
    }

    private Operations operations() {
        InstantSource clock = InstantSource.fixed(NOW);
        MemoryBroker broker = new MemoryBroker("epoch-1", 100, Duration.ZERO, Long.MAX_VALUE,
                new IdempotencyCache(Duration.ofMinutes(5), 1000, clock), clock);
        MemoryPresenceStore presence = new MemoryPresenceStore(clock);
        MemoryDirectory directory = new MemoryDirectory();
        MemoryRoles roles = new MemoryRoles();
        io.dino.gateway.engine.Engine engine = io.dino.gateway.engine.memory.MemoryEngine.create(broker, presence, roles, directory,
                Duration.ZERO, clock);
        GatewayConfig config = ConfigLoader.gateway(Config.just(ConfigSources.create(Map.of())));
        RoomPolicy policy = new RoomPolicy(new MemoryRoomAcls(), directory, roles, engine.sanctions(), clock, Runnable::run, true);
        Hub hub = new Hub(broker, policy, WsEndpoint.eventEncoder(new ObjectMapper()), metrics);
        broker.start(hub);
        // what this slice emits; connects, joins and kicks are emitted too (WatchEventsTest covers those)
        java.util.Set<io.dino.gateway.events.EventType> sanctions = java.util.EnumSet.of(io.dino.gateway.events.EventType.BANNED,
                io.dino.gateway.events.EventType.UNBANNED, io.dino.gateway.events.EventType.MUTED,
                io.dino.gateway.events.EventType.UNMUTED);
        return Operations.create("events-node", engine, hub, policy, config, metrics, clock, event -> {
            if (sanctions.contains(event.type())) {
                emitted.add(event);
            }
        },
                VERIFIER, TIMERS);
    }

    @Test
    void eachChangeIsOneEventWithItsScopeTargetUntilAndReason() {
        sanctions.banUser("bob", Target.room("lobby"), "10m", "spam", "mod");
        sanctions.banUser("bob", Target.GLOBAL, "", "", "");
        sanctions.unbanUser("bob", Target.room("lobby"), "mod");
        sanctions.unbanUser("bob", Target.room("lobby"), "mod");  // nothing lifted: no event
        sanctions.muteUser("lobby", "carl", "30s", "calm", "mod");
        sanctions.unmuteUser("lobby", "carl", "");

        long until = NOW.toEpochMilli() + 600_000;
        assertThat(emitted).containsExactly(
                new DomainEvent(EventType.BANNED, NOW.toEpochMilli(), "lobby", "bob", "mod",
                        Map.of("scope", "room", "target", "lobby", "until", Long.toString(until), "reason", "spam")),
                new DomainEvent(EventType.BANNED, NOW.toEpochMilli(), "", "bob", "system",
                        Map.of("scope", "global", "target", "", "until", "0", "reason", "")),
                new DomainEvent(EventType.UNBANNED, NOW.toEpochMilli(), "lobby", "bob", "mod",
                        Map.of("scope", "room", "target", "lobby", "until", "0", "reason", "")),
                new DomainEvent(EventType.MUTED, NOW.toEpochMilli(), "lobby", "carl", "mod",
                        Map.of("scope", "room", "target", "lobby", "until", Long.toString(NOW.toEpochMilli() + 30_000), "reason", "calm")),
                new DomainEvent(EventType.UNMUTED, NOW.toEpochMilli(), "lobby", "carl", "system",
                        Map.of("scope", "room", "target", "lobby", "until", "0", "reason", "")));
    }
}
