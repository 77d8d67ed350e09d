package io.dino.gateway.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dino.gateway.auth.AuthSettings;
import io.dino.gateway.auth.Principal;
import io.dino.gateway.auth.TokenVerifier;
import io.dino.gateway.config.ConfigLoader;
import io.dino.gateway.config.GatewayConfig;
import io.dino.gateway.edge.ws.WsEndpoint;
import io.dino.gateway.engine.Draft;
import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Sanctions.Target;
import io.dino.gateway.engine.memory.IdempotencyCache;
import io.dino.gateway.engine.memory.MemoryBroker;
import io.dino.gateway.engine.memory.MemoryDirectory;
import io.dino.gateway.engine.memory.MemoryEngine;
import io.dino.gateway.engine.memory.MemoryPresenceStore;
import io.dino.gateway.engine.memory.MemoryRoles;
import io.dino.gateway.engine.memory.MemoryRoomAcls;
import io.dino.gateway.events.DomainEvents;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A kicked or banned session hears of it at once, while its leaving the room (engine calls) runs on another thread.
 * A join the client sends as soon as it hears must not find the session still "in" the room: after a ban it is
 * refused BANNED, after a kick it enters again, and the removal arriving late then takes nothing away. The removal
 * is held back here, as a busy node may delay it.
 */
class TakeOutRaceTest {

    private static final TokenVerifier VERIFIER = new TokenVerifier(new AuthSettings(
            List.of("0123456789abcdef0123456789abcdef"), List.of(), Optional.empty(), Optional.empty(), Duration.ZERO,
            Duration.ofHours(1)));
    private static final ScheduledExecutorService TIMERS =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());

    private final GatewayMetrics metrics = new GatewayMetrics(Metrics.globalRegistry(), "take-out-node");
    private final InstantSource clock = InstantSource.system();
    private final MemoryBroker broker = new MemoryBroker("epoch-1", 100, Duration.ZERO, Long.MAX_VALUE,
            new IdempotencyCache(Duration.ofMinutes(5), 1000, clock), clock);
    private final MemoryPresenceStore presence = new MemoryPresenceStore(clock);
    private final MemoryDirectory directory = new MemoryDirectory();
    private final MemoryRoles roles = new MemoryRoles();
    private final Engine engine = MemoryEngine.create(broker, presence, roles, directory, Duration.ZERO, clock);
    private final RoomPolicy policy = new RoomPolicy(new MemoryRoomAcls(), directory, roles, engine.sanctions(), clock,
            Runnable::run, true);
    private final Hub hub = new Hub(broker, policy, WsEndpoint.eventEncoder(new ObjectMapper()), metrics);
    private final Operations operations;
    private final List<Runnable> heldRemovals = new CopyOnWriteArrayList<>();

    TakeOutRaceTest() {
        GatewayConfig config = ConfigLoader.gateway(Config.just(ConfigSources.create(Map.of())));
        broker.start(hub);
        operations = Operations.create("take-out-node", engine, hub, policy, config, metrics, clock, DomainEvents.NONE,
                VERIFIER, TIMERS);
        BiConsumer<Session, String> removal = hub.kickRemoval();
        hub.onKick((session, room) -> heldRemovals.add(() -> removal.accept(session, room)));
    }

    @AfterEach
    void close() {
        metrics.close();
    }

    /** A session of {@code user} whose frames are kept. */
    private Session connect(String user, List<String> frames) {
        Outbound outbound = new Outbound() {
            @Override
            public void send(String frame) {
                frames.add(frame);
            }

            @Override
            public void disconnect(Event.Disconnect disconnect, String encodedEvent) {
            }
        };
        Principal principal = new Principal(user, Set.of(), Map.of(), Instant.now().plusSeconds(600));
        return operations.sessions().open(principal, outbound, Optional.empty()).session();
    }

    @Test
    void aJoinRightAfterABanIsRefusedAndTheLateRemovalChangesNothing() {
        List<String> frames = new CopyOnWriteArrayList<>();
        Session bob = connect("bob", frames);
        operations.rooms().join(bob, "lobby", Optional.empty());

        operations.sanctions().banUser("bob", Target.room("lobby"), "10m", "spam", "mod");
        assertThat(frames).anyMatch(frame -> frame.contains("\"event\":\"banned\""));
        await().atMost(Duration.ofSeconds(10)).until(() -> heldRemovals.size() == 1);  // started on a thread of its own

        assertThatThrownBy(() -> operations.rooms().join(bob, "lobby", Optional.empty()))
                .isInstanceOfSatisfying(DinoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BANNED));
        heldRemovals.forEach(Runnable::run);
        assertThat(bob.isIn("lobby")).isFalse();
        assertThat(presence.members("lobby")).doesNotContain("bob");
    }

    @Test
    void aJoinRightAfterAKickEntersAgainAndTheLateRemovalDoesNotTakeTheSessionOut() {
        List<String> frames = new CopyOnWriteArrayList<>();
        Session bob = connect("bob", frames);
        operations.rooms().join(bob, "lobby", Optional.empty());

        operations.moderation().kickUser("lobby", "bob", "calm down", "mod");
        assertThat(frames).anyMatch(frame -> frame.contains("\"event\":\"kicked\""));
        await().atMost(Duration.ofSeconds(10)).until(() -> heldRemovals.size() == 1);  // started on a thread of its own

        operations.rooms().join(bob, "lobby", Optional.empty());
        heldRemovals.forEach(Runnable::run);
        assertThat(bob.isIn("lobby")).isTrue();
        assertThat(presence.members("lobby")).contains("bob");
        broker.publish(LogId.room("lobby"), new Draft("m-after", "mod", clock.millis(), "\"back in\"", ""));
        await().atMost(Duration.ofSeconds(10)).until(() -> frames.stream().anyMatch(frame -> frame.contains("m-after")));
    }
}
