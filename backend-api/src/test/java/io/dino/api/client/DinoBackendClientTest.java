package io.dino.api.client;

import io.dino.api.v1.BackendGrpc;
import io.dino.api.v1.BroadcastRequest;
import io.dino.api.v1.BroadcastResponse;
import io.dino.api.v1.PublishResponse;
import io.dino.api.v1.PublishToRoomRequest;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client's own logic (API key, idempotency keys, which calls are retried) against a stand-in
 * server that fails on purpose; the real node is exercised by the gateway's end-to-end tests.
 */
class DinoBackendClientTest {

    private final List<String> idempotencyKeys = new CopyOnWriteArrayList<>();
    private final List<String> apiKeys = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger broadcasts = new AtomicInteger();
    private Server server;

    @BeforeEach
    void startServer() throws Exception {
        BackendGrpc.BackendImplBase flaky = new BackendGrpc.BackendImplBase() {
            @Override
            public void publishToRoom(PublishToRoomRequest request, StreamObserver<PublishResponse> response) {
                idempotencyKeys.add(request.getIdempotencyKey());
                if (failuresLeft.getAndDecrement() > 0) {
                    response.onError(Status.UNAVAILABLE.withDescription("store down").asRuntimeException());
                    return;
                }
                response.onNext(PublishResponse.newBuilder().setMessageId("m-1").build());
                response.onCompleted();
            }

            @Override
            public void broadcast(BroadcastRequest request, StreamObserver<BroadcastResponse> response) {
                broadcasts.incrementAndGet();
                response.onError(Status.UNAVAILABLE.asRuntimeException());
            }
        };
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(flaky, new io.grpc.ServerInterceptor() {
                    @Override
                    public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call, Metadata headers,
                                                                              io.grpc.ServerCallHandler<Q, R> next) {
                        apiKeys.add(headers.get(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER)));
                        return next.startCall(call, headers);
                    }
                }))
                .build()
                .start();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void unavailablePublishesAreRetriedWithTheSameGeneratedIdempotencyKey() {
        failuresLeft.set(2);
        try (DinoBackendClient client = client(3)) {
            assertThat(client.publishToRoom("lobby", "1").getMessageId()).isEqualTo("m-1");
        }
        assertThat(idempotencyKeys).hasSize(3).doesNotContain("");
        assertThat(idempotencyKeys).containsOnly(idempotencyKeys.getFirst());
        assertThat(apiKeys).containsOnly("secret-key");
    }

    @Test
    void aCallerChosenIdempotencyKeyIsKept() {
        try (DinoBackendClient client = client(3)) {
            client.publishToRoom(PublishToRoomRequest.newBuilder().setRoom("r").setBodyJson("1").setIdempotencyKey("mine").build());
        }
        assertThat(idempotencyKeys).containsExactly("mine");
    }

    @Test
    void retriesStopAtMaxAttempts() {
        failuresLeft.set(10);
        try (DinoBackendClient client = client(2)) {
            assertThatThrownBy(() -> client.publishToRoom("lobby", "1")).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        }
        assertThat(idempotencyKeys).hasSize(2);
    }

    @Test
    void broadcastsAreNeverRetriedBecauseTheyCannotBeDeduplicated() {
        try (DinoBackendClient client = client(3)) {
            assertThatThrownBy(() -> client.broadcast("1")).isInstanceOf(StatusRuntimeException.class);
        }
        assertThat(broadcasts.get()).isEqualTo(1);
    }

    @Test
    void anApiKeyIsRequired() {
        assertThatThrownBy(() -> DinoBackendClient.builder("127.0.0.1", server.getPort()).build())
                .hasMessageContaining("API key");
    }

    private DinoBackendClient client(int attempts) {
        return DinoBackendClient.builder("127.0.0.1", server.getPort()).apiKey("secret-key").maxAttempts(attempts).build();
    }
}
