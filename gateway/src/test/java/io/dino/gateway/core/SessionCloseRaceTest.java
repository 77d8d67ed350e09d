package io.dino.gateway.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dino.gateway.auth.Principal;
import io.dino.gateway.config.ConfigLoader;
import io.dino.gateway.config.GatewayConfig;
import io.dino.gateway.edge.ws.WsEndpoint;
import io.dino.gateway.engine.Broker;
import io.dino.gateway.engine.DeliveryListener;
import io.dino.gateway.engine.Draft;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.engine.Recovery;
import io.dino.gateway.engine.memory.IdempotencyCache;
import io.dino.gateway.engine.memory.MemoryBroker;
import io.dino.gateway.engine.memory.MemoryPresenceStore;
import io.dino.gateway.ops.GatewayMetrics;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.metrics.api.Metrics;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A session closed by another thread (a slow consumer cut off by a timer, a dropped socket) while one of
 * its commands is still running: the close waits for the command, and nothing the command did survives.
 */
class SessionCloseRaceTest {

    /** Tokens for refresh and their expiry timers: none fire in these tests (no session lives that long). */
    private static final io.dino.gateway.auth.TokenVerifier VERIFIER = new io.dino.gateway.auth.TokenVerifier(
            new io.dino.gateway.auth.AuthSettings(java.util.List.of("0123456789abcdef0123456789abcdef"), java.util.List.of(),
                    java.util.Optional.empty(), java.util.Optional.empty(), java.time.Duration.ZERO, java.time.Duration.ofHours(1)));
    private static final java.util.concurrent.ScheduledExecutorService TIMERS =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());

    private static final String ROOM = "race";

    /** The memory broker, with a gate in subscribe so the test can hold a join in the middle. */
    private static final class GatedBroker implements Broker {
        final MemoryBroker delegate = new MemoryBroker("e1", 10, Duration.ZERO, Long.MAX_VALUE,
                new IdempotencyCache(Duration.ofMinutes(1), 10, InstantSource.system()), InstantSource.system());
        final CountDownLatch joinReachedEngine = new CountDownLatch(1);
        final CountDownLatch releaseJoin = new CountDownLatch(1);
        final Set<LogId> subscribed = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override public void start(DeliveryListener listener) { delegate.start(listener); }
        @Override public Publication publish(LogId log, Draft draft) { return delegate.publish(log, draft); }
        @Override public void broadcast(Publication publication) { delegate.broadcast(publication); }
        @Override public void announceMembership(String room, String user, boolean joined, io.dino.gateway.engine.Audience audience) { delegate.announceMembership(room, user, joined, audience); }
        @Override public Position top(LogId log) { return delegate.top(log); }
        @Override public Page pageBefore(LogId log, long offset, int limit) { return delegate.pageBefore(log, offset, limit); }
        @Override public Page pageAfter(LogId log, long offset, int limit) { return delegate.pageAfter(log, offset, limit); }
        @Override public Recovery recover(LogId log, Position since, int limit) { return delegate.recover(log, since, limit); }
        @Override public int control(LogId holders, io.dino.gateway.engine.Control command) { return delegate.control(holders, command); }
        @Override public void close() { delegate.close(); }

        @Override
        public void subscribe(LogId log) {
            if (log.isRoom()) {
                joinReachedEngine.countDown();
                try {
                    assertThat(releaseJoin.await(10, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            subscribed.add(log);
            delegate.subscribe(log);
        }

        @Override
        public void unsubscribe(LogId log) {
            subscribed.remove(log);
            delegate.unsubscribe(log);
        }
    }

    @Test
    void closeDuringJoinLeavesNoMemberNoSessionAndNoInterest() throws Exception {
        GatedBroker broker = new GatedBroker();
        MemoryPresenceStore presence = new MemoryPresenceStore(java.time.InstantSource.system());
        GatewayConfig config = ConfigLoader.gateway(Config.just(ConfigSources.create(Map.of())));
        GatewayMetrics metrics = new GatewayMetrics(Metrics.globalRegistry(), "race-node");
        io.dino.gateway.engine.memory.MemoryRoomAcls acls = new io.dino.gateway.engine.memory.MemoryRoomAcls();
        RoomPolicy policy = new RoomPolicy(acls, new io.dino.gateway.engine.memory.MemoryDirectory(),
                new io.dino.gateway.engine.memory.MemoryRoles(), Runnable::run, true);
        Hub hub = new Hub(broker, policy, WsEndpoint.eventEncoder(new ObjectMapper()), metrics);
        broker.start(hub);
        Operations operations = Operations.create("race-node", io.dino.gateway.engine.memory.MemoryEngine.create(broker, presence,
                new io.dino.gateway.engine.memory.MemoryRoles(), new io.dino.gateway.engine.memory.MemoryDirectory(),
                java.time.Duration.ZERO, InstantSource.system()), hub, policy, config, metrics, InstantSource.system(),
                io.dino.gateway.events.DomainEvents.NONE,
                VERIFIER, TIMERS);
        Outbound ignored = new Outbound() {
            @Override public void send(String frame) { }
            @Override public void disconnect(Event.Disconnect disconnect, String encodedEvent) { }
        };
        Session session = operations.sessions().open(new Principal("ann", Set.of(), Map.of(), Instant.now().plusSeconds(60)), ignored, Optional.empty()).session();

        CompletableFuture<RoomOperations.JoinResult> join = CompletableFuture.supplyAsync(() -> operations.rooms().join(session, ROOM, Optional.empty()));
        assertThat(broker.joinReachedEngine.await(10, TimeUnit.SECONDS)).isTrue();
        Thread close = Thread.ofPlatform().start(() -> operations.sessions().close(session));
        // the close has either finished (no ordering) or waits for the join (ordered): only then let the join go on
        await().atMost(Duration.ofSeconds(10)).until(() -> !close.isAlive() || close.getState() == Thread.State.WAITING);
        broker.releaseJoin.countDown();
        join.get(10, TimeUnit.SECONDS);
        close.join(Duration.ofSeconds(10));
        assertThat(close.isAlive()).isFalse();

        assertThat(presence.members(ROOM)).isEmpty();
        assertThat(presence.onlineUsers()).isEmpty();
        assertThat(broker.subscribed).isEmpty();
        assertThat(hub.sessionCount()).isZero();
        assertThat(session.roomCount()).isZero();
        assertThatThrownBy(() -> operations.rooms().join(session, "later", Optional.empty()))
                .isInstanceOfSatisfying(DinoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DISCONNECTED));
        assertThat(presence.members("later")).isEmpty();
        metrics.close();
    }
}
