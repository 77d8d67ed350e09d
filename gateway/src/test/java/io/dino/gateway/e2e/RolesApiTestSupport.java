package io.dino.gateway.e2e;

import io.dino.api.v1.RolesGrpc;
import io.dino.gateway.TestNode;

/** A Roles stub on a test node that sends the test API key (for tests outside this package). */
public final class RolesApiTestSupport {

    private RolesApiTestSupport() {
    }

    public static RolesGrpc.RolesBlockingStub roles(TestNode node) {
        return RolesApiTest.roles(node, TestNode.API_KEY);
    }

    /** A Rooms stub on a test node that sends the test API key. */
    public static io.dino.api.v1.RoomsGrpc.RoomsBlockingStub rooms(TestNode node) {
        io.grpc.Metadata headers = new io.grpc.Metadata();
        headers.put(io.grpc.Metadata.Key.of("x-api-key", io.grpc.Metadata.ASCII_STRING_MARSHALLER), TestNode.API_KEY);
        return io.dino.api.v1.RoomsGrpc.newBlockingStub(node.channel())
                .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(TestNode.TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    }
}
