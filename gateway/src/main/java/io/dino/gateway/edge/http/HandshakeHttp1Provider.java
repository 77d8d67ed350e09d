package io.dino.gateway.edge.http;

import io.helidon.common.Weight;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.http1.Http1ConnectionProvider;
import io.helidon.webserver.spi.ServerConnectionSelector;
import io.helidon.webserver.spi.ServerConnectionSelectorProvider;

import java.util.List;

/**
 * Helidon's HTTP/1.1 connections, with a receive listener that stops the {@link HandshakeTimeout} once a request
 * head (a WebSocket upgrade request included) has been read. The listener also sees every chunk the connection reads
 * (after an upgrade too), which it only passes on to the configured listeners, as Helidon would have. A higher weight than Helidon's own provider puts its selector
 * first, so Helidon's identical one is never chosen. Registered in META-INF/services.
 */
@Weight(200)
public final class HandshakeHttp1Provider implements ServerConnectionSelectorProvider<Http1Config> {

    private final Http1ConnectionProvider helidon = new Http1ConnectionProvider();

    /** For the service loader. */
    public HandshakeHttp1Provider() {
    }

    @Override
    public String protocolType() {
        return helidon.protocolType();
    }

    @Override
    public Class<Http1Config> protocolConfigType() {
        return helidon.protocolConfigType();
    }

    @Override
    public ServerConnectionSelector create(String socketName, Http1Config config, ProtocolConfigs configs) {
        // the one receive listener, in front of the configured ones: Helidon 4.5's composite of several listeners
        // forwards no event at all
        Http1Config withListener = Http1Config.builder()
                .from(config)
                .receiveListeners(List.of(new RequestHeadRead(config.compositeReceiveListener())))
                .build();
        return helidon.create(socketName, withListener, configs);
    }

    /** Stops the handshake timeout once per HTTP/1 request head; passes every event on to the configured listeners. */
    private record RequestHeadRead(Http1ConnectionListener configured) implements Http1ConnectionListener {

        @Override
        public void headers(ConnectionContext ctx, Headers headers) {
            HandshakeTimeout.completed(ctx);
            configured.headers(ctx, headers);
        }

        @Override
        public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
            configured.prologue(ctx, prologue);
        }

        @Override
        public void status(ConnectionContext ctx, Status status) {
            configured.status(ctx, status);
        }

        @Override
        public void data(ConnectionContext ctx, BufferData data) {
            configured.data(ctx, data);
        }

        @Override
        public void data(ConnectionContext ctx, byte[] data, int position, int length) {
            configured.data(ctx, data, position, length);
        }
    }
}
