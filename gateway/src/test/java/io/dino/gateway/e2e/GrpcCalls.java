package io.dino.gateway.e2e;

import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.dino.gateway.TestNode.TIMEOUT;

/** gRPC calls the generated stubs cannot make: raw bytes to any method, and one question to server reflection. */
final class GrpcCalls {

    private GrpcCalls() {
    }

    /** A unary method by its full name ({@code dino.v1.Backend/PublishToRoom}) whose messages are raw bytes. */
    static MethodDescriptor<byte[], byte[]> rawUnary(String fullMethodName) {
        return MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(fullMethodName)
                .setRequestMarshaller(RawBytes.INSTANCE)
                .setResponseMarshaller(RawBytes.INSTANCE)
                .build();
    }

    /** The node's answer to one reflection request, e.g. {@code list_services}. */
    static ServerReflectionResponse reflect(Channel channel, ServerReflectionRequest request) throws Exception {
        CompletableFuture<ServerReflectionResponse> reply = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse value) {
                        reply.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        reply.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        requests.onNext(request);
        ServerReflectionResponse response = reply.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        requests.onCompleted();
        return response;
    }

    private enum RawBytes implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
