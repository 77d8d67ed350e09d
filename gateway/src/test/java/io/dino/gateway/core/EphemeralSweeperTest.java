package io.dino.gateway.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dino.gateway.config.ConfigLoader;
import io.dino.gateway.config.GatewayConfig;
import io.dino.gateway.edge.ws.WsEndpoint;
import io.dino.gateway.engine.Directory;
import io.dino.gateway.engine.Directory.RoomKind;
import io.dino.gateway.engine.Roles;
import io.dino.gateway.engine.SessionRef;
import io.dino.gateway.engine.memory.IdempotencyCache;
import io.dino.gateway.engine.memory.MemoryBroker;
import io.dino.gateway.engine.memory.MemoryEngine;
import io.dino.gateway.engine.memory.MemoryDirectory;
import io.dino.gateway.engine.memory.MemoryPresenceStore;
import io.dino.gateway.engine.memory.MemoryRoles;
import io.dino.gateway.engine.memory.MemoryRoomAcls;
import io.dino.gateway.ops.GatewayMetrics;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.metrics.api.Metrics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sweep of empty ephemeral rooms, one sweep at a time on a clock the test moves (linger 60 s), over the memory
 * engine and the core's own removal.
 */
class EphemeralSweeperTest {

    /** Tokens for refresh and their expiry timers: none fire in these tests (no session lives that long). */
    private static final io.dino.gateway.auth.TokenVerifier VERIFIER = new io.dino.gateway.auth.TokenVerifier(
            new io.dino.gateway.auth.AuthSettings(java.util.List.of("0123456789abcdef0123456789abcdef"), java.util.List.of(),
                    java.util.Optional.empty(), java.util.Optional.empty(), java.time.Duration.ZERO, java.time.Duration.ofHours(1)));
    private static final java.util.concurrent.ScheduledExecutorService TIMERS =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());

    private static final Duration LINGER = Duration.ofSeconds(60);
    private static final long T0 = 1_800_000_000_000L;

    private final AtomicLong now = new AtomicLong(T0);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    private MemoryDirectory directory;
    private MemoryPresenceStore presence;
    private MemoryRoles roles;
    private RoomAdmin admin;
    private EphemeralSweeper sweeper;

    @BeforeEach
    void setUp() {
        MemoryBroker broker = new MemoryBroker("e1", 10, Duration.ZERO, Long.MAX_VALUE,
                new IdempotencyCache(Duration.ofMinutes(1), 10, InstantSource.system()), InstantSource.system());
        presence = new MemoryPresenceStore(InstantSource.system());
        directory = new MemoryDirectory();
        roles = new MemoryRoles();
        GatewayConfig config = ConfigLoader.gateway(Config.just(ConfigSources.create(Map.of())));
        GatewayMetrics metrics = new GatewayMetrics(Metrics.globalRegistry(), "sweep-node");
        RoomPolicy policy = new RoomPolicy(new MemoryRoomAcls(), directory, roles, Runnable::run, true);
        Hub hub = new Hub(broker, policy, WsEndpoint.eventEncoder(new ObjectMapper()), metrics);
        broker.start(hub);
        admin = Operations.create("sweep-node", MemoryEngine.create(broker, presence, roles, directory, Duration.ZERO, clock),
                hub, policy, config, metrics, clock, io.dino.gateway.events.DomainEvents.NONE,
                VERIFIER, TIMERS).admin();
        sweeper = new EphemeralSweeper(directory, presence, admin, LINGER, clock);
    }

    private String create(String name, RoomKind kind) {
        return admin.createRoom(new RoomAdmin.NewRoom(Optional.empty(), "default", name, kind, 0, "",
                kind == RoomKind.PRIVATE ? Set.of("ann") : Set.of(), true, Set.of("ann"), Set.of())).room().id();
    }

    private void at(long secondsAfterStart) {
        now.set(T0 + secondsAfterStart * 1000);
    }

    private static SessionRef ann() {
        return new SessionRef("sweep-node", "s1", "ann");
    }

    @Test
    void aRoomNobodyJoinedIsRemovedALingerAfterItsCreationWithItsRoles() {
        at(1);
        String room = create("Never joined", RoomKind.EPHEMERAL);
        at(30);
        assertThat(sweeper.sweep()).isEmpty();
        at(60);
        assertThat(sweeper.sweep()).as("59 s after its creation").isEmpty();
        at(61);
        assertThat(sweeper.sweep()).containsExactly(room);
        assertThat(directory.room(room)).isEmpty();
        assertThat(roles.holders(Roles.Scope.room(room))).isEmpty();
        assertThat(directory.roomNamed("default", "Never joined")).isEmpty();
    }

    @Test
    void aRoomIsRemovedALingerAfterThisNodeFirstSawItEmpty() {
        at(1);
        String room = create("Talk", RoomKind.EPHEMERAL);
        presence.join(room, ann());
        at(10);
        assertThat(sweeper.sweep()).isEmpty();
        presence.leave(room, ann());
        at(20);
        assertThat(sweeper.sweep()).as("first seen empty").isEmpty();
        at(79);
        assertThat(sweeper.sweep()).isEmpty();
        assertThat(directory.room(room)).isPresent();
        at(80);
        assertThat(sweeper.sweep()).containsExactly(room);
    }

    @Test
    void aRoomSeenWithAMemberAgainStartsItsLingerOver() {
        at(1);
        String room = create("Back again", RoomKind.EPHEMERAL);
        at(20);
        assertThat(sweeper.sweep()).isEmpty();
        presence.join(room, ann());
        at(40);
        assertThat(sweeper.sweep()).as("occupied: forgotten").isEmpty();
        presence.leave(room, ann());
        at(50);
        assertThat(sweeper.sweep()).isEmpty();
        at(109);
        assertThat(sweeper.sweep()).as("empty since 50 s, not since its creation").isEmpty();
        assertThat(directory.room(room)).isPresent();
        at(110);
        assertThat(sweeper.sweep()).containsExactly(room);
    }

    @Test
    void aRoomWithAMemberStaysHoweverLongItWasEmptyBefore() {
        at(1);
        String room = create("Close call", RoomKind.EPHEMERAL);
        at(20);
        sweeper.sweep();
        presence.join(room, ann());
        at(200);
        assertThat(sweeper.sweep()).isEmpty();
        assertThat(directory.room(room)).isPresent();
    }

    @Test
    void staticAndPrivateRoomsAreNeverSwept() {
        at(1);
        String lobby = create("Lobby", RoomKind.STATIC);
        String pair = create("Pair", RoomKind.PRIVATE);
        String talk = create("Talk", RoomKind.EPHEMERAL);
        at(30);
        sweeper.sweep();
        at(3600);
        assertThat(sweeper.sweep()).containsExactly(talk);
        assertThat(directory.room(lobby)).isPresent();
        assertThat(directory.room(pair)).isPresent();
    }

    @Test
    void aRoomMadeBeforeTheNodeStartedCountsFromTheNodesFirstLook() {
        at(-3600);
        String old = create("Old", RoomKind.EPHEMERAL);
        at(5);
        sweeper = new EphemeralSweeper(directory, presence, admin, LINGER, clock);
        at(10);
        assertThat(sweeper.sweep()).isEmpty();
        at(69);
        assertThat(sweeper.sweep()).isEmpty();
        at(70);
        assertThat(sweeper.sweep()).containsExactly(old);
    }

    @Test
    void aRoomAnotherNodeRemovedFirstIsNoError() {
        at(1);
        String room = create("Raced", RoomKind.EPHEMERAL);
        EphemeralSweeper otherNode = new EphemeralSweeper(directory, presence, admin, LINGER, clock);
        at(20);
        sweeper.sweep();
        otherNode.sweep();
        at(100);
        assertThat(otherNode.sweep()).containsExactly(room);
        assertThat(sweeper.sweep()).isEmpty();
    }

    @Test
    void thePeriodIsAQuarterOfTheLingerBetweenOneAndFifteenSeconds() {
        assertThat(EphemeralSweeper.period(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(15));
        assertThat(EphemeralSweeper.period(Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(5));
        assertThat(EphemeralSweeper.period(Duration.ofMinutes(10))).isEqualTo(Duration.ofSeconds(15));
        assertThat(EphemeralSweeper.period(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
        assertThat(EphemeralSweeper.period(Duration.ZERO)).isEqualTo(Duration.ofSeconds(1));
    }
}
