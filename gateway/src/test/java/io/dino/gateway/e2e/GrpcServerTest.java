package io.dino.gateway.e2e;

import com.google.common.util.concurrent.ListenableFuture;
import io.dino.api.v1.BackendGrpc;
import io.dino.api.v1.ListOnlineUsersRequest;
import io.dino.api.v1.PublishResponse;
import io.dino.api.v1.PublishToRoomRequest;
import io.dino.gateway.TestNode;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The backend API's server under what careless or hostile callers do: every call gets an answer with a
 * status that says what was wrong, well before its deadline, and nothing a caller leaves behind outlives
 * its connection.
 */
class GrpcServerTest {

    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(20);
    private static final MethodDescriptor<byte[], byte[]> RAW_PUBLISH =
            GrpcCalls.rawUnary(BackendGrpc.getPublishToRoomMethod().getFullMethodName());

    private static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start(Map.of("dino.grpc.max-message-bytes", "1048576"));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void healthWatchesOfClientsThatNeverReadAndVanishLeaveNothingBehind() throws Exception {
        int streams = 500;
        for (int round = 1; round <= 3; round++) {
            ManagedChannel channel = node.channel();
            List<ClientCall<HealthCheckRequest, HealthCheckResponse>> watches = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                ClientCall<HealthCheckRequest, HealthCheckResponse> call =
                        channel.newCall(HealthGrpc.getWatchMethod(), CallOptions.DEFAULT);
                call.start(new ClientCall.Listener<>() {
                }, new Metadata());  // never request(): the client reads nothing
                call.sendMessage(HealthCheckRequest.newBuilder().setService("").build());
                call.halfClose();
                watches.add(call);
            }
            await().atMost(TIMEOUT).until(() -> activeCalls() >= streams);

            channel.shutdownNow();  // the connection goes without a word about the calls on it
            assertThat(channel.awaitTermination(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();

            int ended = round * streams;
            await("every watch of round " + ended / streams + " ends on the server").atMost(TIMEOUT)
                    .until(() -> NodeMetrics.value(node, "dino_grpc_calls_total",
                            "method=\"grpc.health.v1.Health/Watch\"", "status=\"CANCELLED\"") >= ended);
            await().atMost(TIMEOUT).until(() -> activeCalls() == 0);
            assertThat(watches).hasSize(streams);
        }
    }

    @Test
    void anOversizedRequestGetsResourceExhaustedAndTheChannelStaysUsable() {
        ManagedChannel channel = node.channel();
        PublishToRoomRequest huge = PublishToRoomRequest.newBuilder()
                .setRoom("big").setBodyJson("\"" + "x".repeat(3 << 20) + "\"").build();

        assertThatThrownBy(() -> backend(channel).publishToRoom(huge))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getStatus().getDescription()).contains("1048576");
                });
        assertThat(backend(channel).listOnlineUsers(ListOnlineUsersRequest.getDefaultInstance())).isNotNull();
    }

    @Test
    void anUnparsableRequestGetsInternal() {
        Channel channel = withApiKey(node.channel());
        byte[] truncated = {0x0a, 0x10, 'r', 'o', 'o', 'm'};  // field 1 says 16 bytes, 4 follow

        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, RAW_PUBLISH, deadline(), truncated))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
                    assertThat(e.getStatus().getDescription()).contains("Invalid protobuf byte sequence", "truncated");
                });
    }

    @Test
    void aStringFieldThatIsNotUtf8GetsInternal() {
        Channel channel = withApiKey(node.channel());
        byte[] badRoom = {0x0a, 0x02, (byte) 0xc3, 0x28, 0x12, 0x01, '1'};  // room = C3 28: not UTF-8; body_json = 1

        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, RAW_PUBLISH, deadline(), badRoom))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
                    assertThat(e.getStatus().getDescription()).contains("invalid UTF-8");
                });
    }

    @Test
    void aGzipCompressedRequestIsServed() {
        PublishResponse stored = backend(node.channel()).withCompression("gzip")
                .publishToRoom(PublishToRoomRequest.newBuilder().setRoom("zipped").setBodyJson("\"packed\"").build());

        assertThat(stored.getMessageId()).isNotEmpty();
    }

    @Test
    void aGzipCompressedRequestThatExpandsPastTheLimitGetsResourceExhausted() {
        PublishToRoomRequest bomb = PublishToRoomRequest.newBuilder()
                .setRoom("zipped").setBodyJson("\"" + "z".repeat(3 << 20) + "\"").build();  // a few KiB packed

        assertThatThrownBy(() -> backend(node.channel()).withCompression("gzip").publishToRoom(bomb))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    }

    @Test
    void fiveThousandConcurrentCallsOnOneChannelAllSucceed() throws Exception {
        ManagedChannel channel = node.channel();
        Metadata headers = apiKeyHeaders();
        BackendGrpc.BackendFutureStub stub = BackendGrpc.newFutureStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(ANSWER_WITHIN.toSeconds() * 3, TimeUnit.SECONDS);
        String body = "\"" + "y".repeat(1_000) + "\"";
        List<ListenableFuture<PublishResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            calls.add(stub.publishToRoom(PublishToRoomRequest.newBuilder().setRoom("crowd-" + i % 50).setBodyJson(body).build()));
        }

        List<String> failures = new ArrayList<>();
        for (ListenableFuture<PublishResponse> call : calls) {
            try {
                call.get();
            } catch (ExecutionException e) {
                failures.add(Status.fromThrowable(e.getCause()).toString());
            }
        }
        assertThat(failures).as("%d of 5000 calls failed", failures.size()).isEmpty();
    }

    private static double activeCalls() throws IOException, InterruptedException {
        return NodeMetrics.value(node, "dino_grpc_calls_active", "");
    }

    private static BackendGrpc.BackendBlockingStub backend(Channel channel) {
        return BackendGrpc.newBlockingStub(withApiKey(channel)).withDeadlineAfter(ANSWER_WITHIN.toSeconds(), TimeUnit.SECONDS);
    }

    private static Channel withApiKey(Channel channel) {
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(apiKeyHeaders()));
    }

    private static Metadata apiKeyHeaders() {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), TestNode.API_KEY);
        return headers;
    }

    private static CallOptions deadline() {
        return CallOptions.DEFAULT.withDeadlineAfter(ANSWER_WITHIN.toSeconds(), TimeUnit.SECONDS);
    }
}
