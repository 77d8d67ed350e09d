package io.dino.gateway.edge.http;

import io.dino.gateway.ops.GatewayMetrics;
import io.helidon.common.socket.SocketOptions;
import io.helidon.webserver.ConnectionContext;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code dino.limits.handshake-timeout}: a new connection that has not sent a complete HTTP/1 request head (the
 * upgrade request of a WebSocket included) within the timeout is closed.
 *
 * <p>Helidon 4.5 has no such bound: a connection that sends nothing, or its request head a byte at a time, is only
 * closed by {@code idle-connection-timeout} (5 minutes by default; checked every 2), which applies to idle WebSockets
 * too, and with more than one protocol on the listener one that has not sent enough to tell which is not watched by
 * it at all. So this class wraps the listener's connection options: Helidon calls
 * {@link #configureSocket(SocketChannel)} for every socket it accepts, before it reads a byte, and a timer starts
 * there; {@link HandshakeHttp1Provider} stops it when the request head has been read. An established connection has no timer and no entry here; nothing in this class runs per frame
 * or per message. The listener serves HTTP/1.1 only (gRPC has a server of its own): a protocol added to it (HTTP/2)
 * would need a provider that stops the timer the same way, or its connections would be closed after the timeout.
 */
public final class HandshakeTimeout implements SocketOptions {

    private final SocketOptions options;
    private final Duration timeout;
    private final ScheduledExecutorService timers;
    private final GatewayMetrics metrics;
    private final BrokenClientLog log;
    /** Connections whose request head has not arrived yet, by their addresses. */
    private final Map<Peers, Pending> pending = new ConcurrentHashMap<>();

    /**
     * @param options the listener's socket options, applied unchanged
     * @param timers  runs the timeouts (one short task each: closing a socket)
     */
    public HandshakeTimeout(SocketOptions options, Duration timeout, ScheduledExecutorService timers,
                            GatewayMetrics metrics, BrokenClientLog log) {
        this.options = options;
        this.timeout = timeout;
        this.timers = timers;
        this.metrics = metrics;
        this.log = log;
    }

    /** Tells the handshake timeout of {@code ctx}'s listener, if it has one, that the connection got its request. */
    static void completed(ConnectionContext ctx) {
        if (ctx.listenerContext().config().connectionOptions() instanceof HandshakeTimeout handshakes) {
            handshakes.completed(new Peers(ctx.localPeer().address(), ctx.remotePeer().address()));
        }
    }

    @Override
    public void configureSocket(SocketChannel channel) {
        options.configureSocket(channel);
        Peers peers;
        try {
            peers = new Peers(channel.getLocalAddress(), channel.getRemoteAddress());
        } catch (IOException closedAlready) {
            return;
        }
        Pending connection = new Pending(channel, peers);
        Pending stale = pending.put(peers, connection);
        if (stale != null) {
            // the same addresses again: that connection has ended
            stale.timer.cancel(false);
        }
        // the reader thread starts after this returns, so the timer is set before completed() can look for it
        connection.timer = timers.schedule(connection, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void completed(Peers peers) {
        Pending connection = pending.remove(peers);
        if (connection != null) {
            connection.timer.cancel(false);
        }
    }

    @Override
    public void configureSocket(Socket socket) {
        options.configureSocket(socket);
    }

    @Override
    public Map<SocketOption<?>, Object> socketOptions() {
        return options.socketOptions();
    }

    @Override
    public Duration connectTimeout() {
        return options.connectTimeout();
    }

    @Override
    public Duration readTimeout() {
        return options.readTimeout();
    }

    @Override
    public Optional<Integer> socketReceiveBufferSize() {
        return options.socketReceiveBufferSize();
    }

    @Override
    public Optional<Integer> socketSendBufferSize() {
        return options.socketSendBufferSize();
    }

    @Override
    public boolean socketReuseAddress() {
        return options.socketReuseAddress();
    }

    @Override
    public boolean socketKeepAlive() {
        return options.socketKeepAlive();
    }

    @Override
    public boolean tcpNoDelay() {
        return options.tcpNoDelay();
    }

    private record Peers(SocketAddress local, SocketAddress remote) {
    }

    /** A connection waiting for its request; runs when the timeout has passed. */
    private final class Pending implements Runnable {
        private final SocketChannel channel;
        private final Peers peers;
        /** Set before the connection's reader thread starts; read by that thread and the timer. */
        private volatile ScheduledFuture<?> timer;

        Pending(SocketChannel channel, Peers peers) {
            this.channel = channel;
            this.peers = peers;
        }

        @Override
        public void run() {
            if (!pending.remove(peers, this) || !channel.isOpen()) {
                return;   // got its request in time, or closed by itself
            }
            try {
                // wakes Helidon's reader, which ends the connection (quietly: the read fails on a closed socket)
                channel.close();
            } catch (IOException ignored) {
                // closed either way
            }
            metrics.handshakeTimedOut();
            log.handshakeTimedOut(peers.remote(), timeout);
        }
    }
}
