package io.dino.gateway.edge.ws;

import io.helidon.common.Weight;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.helidon.webserver.http1.spi.Http1UpgradeProvider;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsUpgrader;
import io.helidon.websocket.WsSession;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * Takes the "websocket" upgrade over from Helidon's own provider (a higher weight wins) to put {@link ClientFrames}
 * between the socket and Helidon's WebSocket connection, a {@link SerialWriter} that every write of the connection
 * passes through, and to tell the connection's listener when Helidon is done with the socket ({@link #whenEnded});
 * the handshake and the reading loop stay Helidon's.
 * Registered in META-INF/services.
 */
@Weight(200)
public final class ClientFramesUpgradeProvider implements Http1UpgradeProvider<WsConfig> {

    /** For the service loader. */
    public ClientFramesUpgradeProvider() {
    }

    @Override
    public String protocolType() {
        return "websocket";
    }

    @Override
    public Class<WsConfig> protocolConfigType() {
        return WsConfig.class;
    }

    @Override
    public Http1Upgrader create(WsConfig config, ProtocolConfigs configs) {
        WsUpgrader helidon = WsUpgrader.create(config);
        // implementing only Http1Upgrader (not the routed variant) makes Helidon call upgrade(), where ctx can be swapped
        return new Http1Upgrader() {
            @Override
            public String supportedProtocol() {
                return helidon.supportedProtocol();
            }

            @Override
            public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
                ClientFrames frames = new ClientFrames(ctx.dataReader(), config.maxFrameLength());
                CheckedContext checked = new CheckedContext(ctx, frames, DataReader.create(frames),
                        new SerialWriter(ctx.dataWriter()), new SocketEnd());
                ServerConnection connection = helidon.upgrade(checked, prologue, headers);
                return connection == null ? null : new EndReported(connection, checked.end());
            }
        };
    }

    /**
     * Runs {@code cleanUp} once Helidon has finished with the socket of a connection this provider upgraded, however
     * it ended: Helidon calls its listener's onClose only for a close frame and onError only for an exception in a
     * handler, while on end of stream, a reset, a failed read or its idle timeout the connection's read loop just
     * returns or throws. Runs on the connection's reader thread, after the listener's last call; call it from
     * onOpen. A socket this provider did not upgrade is ignored.
     */
    static void whenEnded(WsSession socket, Runnable cleanUp) {
        if (socket.socketContext() instanceof CheckedContext checked) {
            checked.end().cleanUp = cleanUp;
        }
    }

    /** The checked frames of a socket this provider upgraded (Helidon's session hands out the context it was given). */
    static Optional<ClientFrames> framesOf(WsSession socket) {
        return socket.socketContext() instanceof CheckedContext checked ? Optional.of(checked.frames()) : Optional.empty();
    }

    /**
     * The one writer of a socket this provider upgraded: Helidon's own writes (its close frames) go through it too,
     * so the {@link OutboundQueue}'s gathered writes never interleave with them.
     */
    static Optional<SerialWriter> writerOf(WsSession socket) {
        return socket.socketContext() instanceof CheckedContext checked ? Optional.of(checked.dataWriter()) : Optional.empty();
    }

    /** What to run when the connection's read loop has ended; set and run on the connection's reader thread. */
    private static final class SocketEnd {
        private Runnable cleanUp = () -> { };
    }

    /**
     * Helidon's WebSocket connection, reporting the end of its read loop. Helidon's HTTP/1 connection runs an upgraded
     * connection's {@code handle} on the socket's reader thread and returns when it does; then the socket is closed.
     * (Before, a watcher virtual thread per connection waited in {@code join()} for the reader thread to end.)
     */
    private record EndReported(ServerConnection connection, SocketEnd end) implements ServerConnection {

        @Override
        public void handle(Limit limit) throws InterruptedException {
            try {
                connection.handle(limit);
            } finally {
                // a connection closed with close(true) ends with its reader interrupted: the clean-up may wait (for the
                // session's lock, or for Redis), so it runs without the interrupt, which is set again afterwards
                boolean interrupted = Thread.interrupted();
                try {
                    end.cleanUp.run();
                } finally {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }

        @Override
        public Duration idleTime() {
            return connection.idleTime();
        }

        @Override
        public void close(boolean interrupt) {
            connection.close(interrupt);
        }
    }

    /** The connection's context with the reader swapped for the checked one and the writer for the serial one. */
    private record CheckedContext(ConnectionContext socket, ClientFrames frames, DataReader dataReader,
                                  SerialWriter dataWriter, SocketEnd end) implements ConnectionContext {

        @Override
        public ListenerContext listenerContext() {
            return socket.listenerContext();
        }

        @Override
        public ExecutorService executor() {
            return socket.executor();
        }

        @Override
        public Router router() {
            return socket.router();
        }

        @Override
        public Optional<ProxyProtocolData> proxyProtocolData() {
            return socket.proxyProtocolData();
        }

        @Override
        public HelidonSocket serverSocket() {
            return socket.serverSocket();
        }

        @Override
        public PeerInfo remotePeer() {
            return socket.remotePeer();
        }

        @Override
        public PeerInfo localPeer() {
            return socket.localPeer();
        }

        @Override
        public boolean isSecure() {
            return socket.isSecure();
        }

        @Override
        public String socketId() {
            return socket.socketId();
        }

        @Override
        public String childSocketId() {
            return socket.childSocketId();
        }
    }
}
