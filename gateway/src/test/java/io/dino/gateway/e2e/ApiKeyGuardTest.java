package io.dino.gateway.e2e;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import io.dino.gateway.TestNode;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The API key guards every gRPC service a node serves but health and reflection — found through reflection, so a
 * service added later is covered by this test without being listed in it (the guard denies by default).
 */
class ApiKeyGuardTest {

    private static final Set<String> OPEN = Set.of("grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection");

    private static TestNode node;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() {
        node = TestNode.start();
        channel = node.channel();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void everyServiceButHealthAndReflectionRefusesACallWithoutAValidKey() throws Exception {
        List<String> guarded = new ArrayList<>();
        for (ServiceResponse service : reflect(ServerReflectionRequest.newBuilder().setListServices("*").build())
                .getListServicesResponse().getServiceList()) {
            if (!OPEN.contains(service.getName())) {
                guarded.add(service.getName());
            }
        }
        assertThat(guarded).as("the backend API's services").contains("dino.v1.Backend", "dino.v1.Moderation",
                "dino.v1.Events").hasSizeGreaterThanOrEqualTo(7);
        for (String service : guarded) {
            String method = service + "/" + firstMethodOf(service);
            assertThat(callWithKey(method, null).getDescription()).as(method).isEqualTo("missing x-api-key metadata");
            assertThat(callWithKey(method, "not-a-key").getDescription()).as(method).isEqualTo("the API key is not valid");
        }
    }

    private static Status callWithKey(String fullMethodName, String key) {
        MethodDescriptor<byte[], byte[]> method = GrpcCalls.rawUnary(fullMethodName);
        Metadata headers = new Metadata();
        if (key != null) {
            headers.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), key);
        }
        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
                ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers)), method,
                CallOptions.DEFAULT.withDeadlineAfter(TIMEOUT.toSeconds(), TimeUnit.SECONDS), new byte[0]));
        assertThat(refused).as(fullMethodName + " without a valid key").isNotNull();
        assertThat(refused.getStatus().getCode()).as(fullMethodName).isEqualTo(Status.Code.UNAUTHENTICATED);
        return refused.getStatus();
    }

    private static String firstMethodOf(String service) throws Exception {
        ServerReflectionResponse files = reflect(ServerReflectionRequest.newBuilder().setFileContainingSymbol(service).build());
        for (var bytes : files.getFileDescriptorResponse().getFileDescriptorProtoList()) {
            FileDescriptorProto file = FileDescriptorProto.parseFrom(bytes);
            for (ServiceDescriptorProto candidate : file.getServiceList()) {
                if ((file.getPackage() + "." + candidate.getName()).equals(service)) {
                    return candidate.getMethod(0).getName();
                }
            }
        }
        throw new AssertionError("reflection knows no file of " + service);
    }

    private static ServerReflectionResponse reflect(ServerReflectionRequest request) throws Exception {
        return GrpcCalls.reflect(channel, request);
    }
}
