package io.dino.gateway.edge.ws;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dino.gateway.auth.TokenVerifier;
import io.dino.gateway.config.GatewayConfig;
import io.dino.gateway.config.TrustedProxies;
import io.dino.gateway.core.EventEncoder;
import io.dino.gateway.core.Operations;
import io.dino.gateway.edge.json.JsonBodies;
import io.dino.gateway.limits.SessionLimits;
import io.dino.gateway.ops.GatewayMetrics;
import io.helidon.websocket.WsListener;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The browser-facing WebSocket endpoint (protocol v1): a new {@link WsConnection} per socket, and the
 * set of open connections the drain closes on shutdown.
 */
public final class WsEndpoint implements Supplier<WsListener> {

    private final Set<WsConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final WsContext context;

    public WsEndpoint(Operations operations, ObjectMapper mapper, TokenVerifier tokens, GatewayConfig.Limits limits,
                      GatewayMetrics metrics, Executor writers, ScheduledExecutorService timers, SessionLimits rateLimits,
                      TrustedProxies trustedProxies) {
        Frames frames = new Frames(mapper);
        this.context = new WsContext(operations, new Commands(operations, frames, new JsonBodies(mapper)), frames, mapper,
                tokens, limits, metrics, writers, new WriteScheduler(writers, timers, limits.writeDelay()), timers, connections, draining,
                rateLimits, trustedProxies);
    }

    /** The protocol's encoding of events, for the hub's fan-out. */
    public static EventEncoder eventEncoder(ObjectMapper mapper) {
        return new Frames(mapper);
    }

    @Override
    public WsListener get() {
        return new WsConnection(context);
    }

    /** Pings every connection, so that clients answer and idle sessions are not timed out as dead. */
    public void pingAll() {
        connections.forEach(WsConnection::ping);
    }

    public int openConnections() {
        return connections.size();
    }

    /**
     * From now on new sockets get the shutdown notice at once; returns one task per open connection
     * that sends the notice and closes it.
     */
    public List<Runnable> shutdownTasks() {
        draining.set(true);
        return connections.stream().<Runnable>map(connection -> connection::shutDown).toList();
    }
}
