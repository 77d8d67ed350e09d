package io.dino.gateway.edge.grpc;

import io.dino.gateway.config.GatewayConfig;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The backend API's listener: grpc-java's own HTTP/2 server on a port of its own, not Helidon's gRPC
 * (why: docs/architecture.md, "The backend API's server"). Calls run on virtual threads, so a handler
 * may block on the engine.
 */
public final class GrpcServer {

    /** The server pings a quiet connection this often, so the calls of a vanished client end. */
    private static final Duration KEEPALIVE_INTERVAL = Duration.ofSeconds(60);
    private static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(20);
    /** Clients may ping this often (grpc-java's default of 5 minutes ends connections of clients that ping more). */
    private static final Duration PERMITTED_CLIENT_PING_INTERVAL = Duration.ofSeconds(10);
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    /** After this, a stop cancels the calls still open (health watches never end by themselves). */
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(1);

    private final Server server;
    private final ExecutorService handlers;

    private GrpcServer(Server server, ExecutorService handlers) {
        this.server = server;
        this.handlers = handlers;
    }

    /**
     * Listens on {@code host:port} (0: any free port) and serves {@code services}, each call passing
     * through {@code interceptors}, the first one outermost, and then {@link RequestParsing}.
     *
     * @throws IllegalStateException when the port cannot be bound
     */
    public static GrpcServer start(String host, int port, GatewayConfig.Grpc settings, Duration handshakeTimeout,
                                   List<ServerInterceptor> interceptors, List<BindableService> services) {
        ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                .executor(handlers)
                // small HTTP/2 frames (headers, trailers, unary replies) must not wait for delayed ACKs
                .withChildOption(ChannelOption.TCP_NODELAY, true)
                .maxInboundMessageSize(settings.maxMessageBytes())
                .maxInboundMetadataSize(MAX_HEADER_BYTES)
                .maxConcurrentCallsPerConnection(settings.maxCallsPerConnection())
                .handshakeTimeout(handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTime(KEEPALIVE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(KEEPALIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .permitKeepAliveTime(PERMITTED_CLIENT_PING_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)
                .permitKeepAliveWithoutCalls(true);
        settings.tls().ifPresent(tls -> {
            try {
                builder.useTransportSecurity(tls.certificateChain().toFile(), tls.privateKey().toFile());
            } catch (IllegalArgumentException e) {
                handlers.shutdownNow();
                throw new IllegalStateException("dino.grpc.tls: cannot serve TLS with " + tls.certificateChain()
                        + " and " + tls.privateKey() + ": " + e.getMessage(), e);
            }
        });
        services.forEach(service -> builder.addService(RequestParsing.decodeInInterceptors(service.bindService())));
        // grpc-java runs the interceptor added last first
        builder.intercept(new RequestParsing());
        interceptors.reversed().forEach(builder::intercept);
        Server server = builder.build();
        try {
            server.start();
        } catch (IOException e) {
            handlers.shutdownNow();
            throw new IllegalStateException("the gRPC listener could not listen on " + host + ":" + port
                    + " (is the port already in use? set dino.grpc.port)", e);
        }
        return new GrpcServer(server, handlers);
    }

    public int port() {
        return server.getPort();
    }

    /**
     * Closes the listener and the connections. Calls still open (the drain already waited for the
     * backend's) are cancelled after a moment.
     */
    public void stop() throws InterruptedException {
        server.shutdown();
        if (!server.awaitTermination(STOP_PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
            server.shutdownNow();
            server.awaitTermination(STOP_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        }
        handlers.shutdownNow();
    }
}
