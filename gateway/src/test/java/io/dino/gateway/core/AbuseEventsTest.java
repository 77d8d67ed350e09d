package io.dino.gateway.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dino.gateway.auth.Principal;
import io.dino.gateway.config.ConfigLoader;
import io.dino.gateway.config.GatewayConfig;
import io.dino.gateway.edge.ws.WsEndpoint;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Publication;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The domain events of the abuse slice: BLACKLISTED for a shadow-blocked send, REPORTED for reports and requests. */
class AbuseEventsTest {

    /** Tokens for refresh and their expiry timers: none fire in these tests (no session lives that long). */
    private static final io.dino.gateway.auth.TokenVerifier VERIFIER = new io.dino.gateway.auth.TokenVerifier(
            new io.dino.gateway.auth.AuthSettings(java.util.List.of("0123456789abcdef0123456789abcdef"), java.util.List.of(),
                    java.util.Optional.empty(), java.util.Optional.empty(), java.time.Duration.ZERO, java.time.Duration.ofHours(1)));
    private static final java.util.concurrent.ScheduledExecutorService TIMERS =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());

    private final List<DomainEvent> emitted = new CopyOnWriteArrayList<>();
    private final List<String> frames = new CopyOnWriteArrayList<>();
    private MemoryBroker broker;
    private Operations operations;

    @BeforeEach
    void start() {
        InstantSource clock = InstantSource.system();
        broker = new MemoryBroker("epoch-1", 100, Duration.ZERO, Long.MAX_VALUE,
                new IdempotencyCache(Duration.ofMinutes(5), 1000, clock), clock);
        MemoryPresenceStore presence = new MemoryPresenceStore(clock);
        GatewayConfig config = ConfigLoader.gateway(Config.just(ConfigSources.create(Map.of())));
        GatewayMetrics metrics = new GatewayMetrics(Metrics.globalRegistry(), "abuse-node");
        MemoryDirectory directory = new MemoryDirectory();
        MemoryRoles roles = new MemoryRoles();
        RoomPolicy policy = new RoomPolicy(new MemoryRoomAcls(), directory, roles, Runnable::run, true);
        Hub hub = new Hub(broker, policy, WsEndpoint.eventEncoder(new ObjectMapper()), metrics);
        broker.start(hub);
        operations = Operations.create("abuse-node", io.dino.gateway.engine.memory.MemoryEngine.create(broker, presence, roles,
                directory, Duration.ZERO, clock), hub, policy, config, metrics, clock,
                // what this slice emits; connects, joins and messages are emitted too (WatchEventsTest covers those)
                event -> {
                    if (event.type() == EventType.BLACKLISTED || event.type() == EventType.REPORTED) {
                        emitted.add(event);
                    }
                },
                VERIFIER, TIMERS);
        operations.reports().adminRoom().ensure(operations.admin(), directory);
    }

    private Session session(String user) {
        Outbound outbound = new Outbound() {
            @Override public void send(String frame) {
                frames.add(frame);
            }
            @Override public void disconnect(Event.Disconnect disconnect, String encodedEvent) { }
        };
        return operations.sessions().open(new Principal(user, Set.of(), Map.of(), Instant.now().plusSeconds(60)), outbound,
                Optional.empty()).session();
    }

    @Test
    void aShadowBlockedSendIsStoredNowhereAndEmittedAsBlacklisted() {
        operations.blacklist().add(List.of("Zap"));
        Session eve = session("eve");
        operations.rooms().join(eve, "hall", Optional.empty());

        Publication shadow = operations.messages().sendToRoom(eve, "hall", "{\"text\":\"ZAP it\"}", true);

        assertThat(shadow.position()).isEqualTo(Position.EMPTY);
        assertThat(broker.top(LogId.room("hall"))).isEqualTo(Position.EMPTY);
        assertThat(frames).anyMatch(frame -> frame.contains(shadow.id()));
        assertThat(emitted).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(EventType.BLACKLISTED);
            assertThat(event.room()).isEqualTo("hall");
            assertThat(event.user()).isEqualTo("eve");
            assertThat(event.data()).isEqualTo(Map.of("kind", "send", "messageId", shadow.id(), "words", "zap",
                    "body", "{\"text\":\"ZAP it\"}"));
        });
        // the admin room got its post; the room itself nothing
        assertThat(broker.top(LogId.room("admin")).offset()).isEqualTo(1);

        Publication stored = operations.messages().sendToRoom(eve, "hall", "\"zapping is fine\"", true);
        assertThat(stored.position().offset()).isEqualTo(1);
        assertThat(emitted).hasSize(1);
    }

    @Test
    void reportsAndRequestsForAnAdminAreEmittedAsReported() {
        Session ann = session("ann");
        operations.rooms().join(ann, "hall", Optional.empty());
        operations.reports().report(ann, Optional.of("hall"), Optional.of("01JDQ0ZR7M8V4N6R3T5W7Y9A1C"), Optional.of("troll"), "spam");
        assertThat(operations.reports().requestAdmin(ann, "hall", "")).isZero();

        assertThat(emitted).hasSize(2);
        DomainEvent report = emitted.get(0);
        assertThat(report.type()).isEqualTo(EventType.REPORTED);
        assertThat(List.of(report.room(), report.user(), report.by())).containsExactly("hall", "troll", "ann");
        assertThat(report.data()).containsEntry("kind", "report").containsEntry("messageId", "01JDQ0ZR7M8V4N6R3T5W7Y9A1C")
                .containsEntry("reason", "spam").containsKey("post");
        DomainEvent request = emitted.get(1);
        assertThat(request.type()).isEqualTo(EventType.REPORTED);
        assertThat(List.of(request.room(), request.user(), request.by())).containsExactly("hall", "", "ann");
        assertThat(request.data()).containsEntry("kind", "request-admin").containsEntry("reason", "");
        assertThat(broker.top(LogId.room("admin")).offset()).isEqualTo(2);
    }
}
