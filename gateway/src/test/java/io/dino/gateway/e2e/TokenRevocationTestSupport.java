package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.client.CloseStatus;
import io.dino.client.DinoClient;
import io.dino.client.DinoException;
import io.dino.client.EventRecorder;

import java.util.concurrent.TimeUnit;

import static io.dino.gateway.TestNode.TIMEOUT;
import static io.dino.gateway.e2e.AccessControlTest.refusal;
import static org.assertj.core.api.Assertions.assertThat;

/** What a revoked token looks like from a client: shared by the single-node and the cluster tests. */
public final class TokenRevocationTestSupport {

    private TokenRevocationTestSupport() {
    }

    /** A connect with the token is refused with TOKEN_REVOKED, and the socket closed with 4014. */
    public static void assertConnectRevoked(java.net.URI ws, String token) throws Exception {
        DinoClient raw = DinoClient.builder(ws).open().join();
        DinoException refused = refusal(raw.authenticate(token));
        assertThat(refused.name()).isEqualTo("TOKEN_REVOKED");
        assertThat(refused.code()).isEqualTo(4014);
        assertThat(raw.closeFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).code()).isEqualTo(4014);
    }

    /** The session got the revocation's disconnect and its socket closed with 4014. */
    public static void assertRevoked(DinoClient client, EventRecorder events) throws Exception {
        JsonNode disconnect = events.await("disconnect", TIMEOUT);
        assertThat(disconnect.toString()).isEqualTo("{\"event\":\"disconnect\",\"code\":4014,\"name\":\"TOKEN_REVOKED\","
                + "\"reason\":\"the session's token was revoked\",\"reconnect\":false}");
        CloseStatus closed = client.closeFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(closed.code()).isEqualTo(4014);
    }

    /** A Tokens stub on a test node that sends the test API key. */
    public static io.dino.api.v1.TokensGrpc.TokensBlockingStub tokens(io.dino.gateway.TestNode node) {
        io.grpc.Metadata headers = new io.grpc.Metadata();
        headers.put(io.grpc.Metadata.Key.of("x-api-key", io.grpc.Metadata.ASCII_STRING_MARSHALLER), io.dino.gateway.TestNode.API_KEY);
        return io.dino.api.v1.TokensGrpc.newBlockingStub(node.channel())
                .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
}
