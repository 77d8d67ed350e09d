package io.dino.gateway.edge.ws;

import io.helidon.common.Weight;
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

import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * Takes the "websocket" upgrade over from Helidon's own provider (a higher weight wins) to put {@link ClientFrames}
 * between the socket and Helidon's WebSocket connection, and a {@link SerialWriter} that every write of the connection
 * passes through; the handshake and the reading loop stay Helidon's.
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
                        new SerialWriter(ctx.dataWriter()));
                return helidon.upgrade(checked, prologue, headers);
            }
        };
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

    /** The connection's context with the reader swapped for the checked one and the writer for the serial one. */
    private record CheckedContext(ConnectionContext socket, ClientFrames frames, DataReader dataReader,
                                  SerialWriter dataWriter) implements ConnectionContext {

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
