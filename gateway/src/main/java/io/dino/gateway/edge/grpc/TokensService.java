package io.dino.gateway.edge.grpc;

import io.dino.api.v1.ListRevocationsRequest;
import io.dino.api.v1.ListRevocationsResponse;
import io.dino.api.v1.Revocation;
import io.dino.api.v1.RevokeTokensRequest;
import io.dino.api.v1.RevokeTokensResponse;
import io.dino.api.v1.TokensGrpc;
import io.dino.gateway.core.TokenOperations;
import io.dino.gateway.ops.GatewayMetrics;
import io.grpc.stub.StreamObserver;

import java.time.Instant;
import java.util.Optional;

/**
 * The {@code dino.v1.Tokens} service: token revocation as the backend does it (trusted), each call one core
 * operation. A service of its own, not beside MintToken: revocation is a security operation an operator may want
 * to grant a different API client than the one that mints tokens, and it grows (listing) independently of Backend.
 */
public final class TokensService extends TokensGrpc.TokensImplBase {

    private final TokenOperations tokens;
    private final Responses responses;

    public TokensService(TokenOperations tokens, GatewayMetrics metrics) {
        this.tokens = tokens;
        this.responses = new Responses(metrics, TokensService.class);
    }

    @Override
    public void revokeTokens(RevokeTokensRequest request, StreamObserver<RevokeTokensResponse> response) {
        responses.respond(response, () -> RevokeTokensResponse.newBuilder()
                .setSessionsClosed(tokens.revoke(request.getUser(), request.getTokenId(), request.getExpiresAtMs() == 0
                        ? Optional.empty() : Optional.of(Instant.ofEpochMilli(request.getExpiresAtMs()))))
                .build());
    }

    @Override
    public void listRevocations(ListRevocationsRequest request, StreamObserver<ListRevocationsResponse> response) {
        responses.respond(response, () -> {
            ListRevocationsResponse.Builder result = ListRevocationsResponse.newBuilder();
            tokens.revocationsOf(request.getUser()).forEach(revocation -> result.addRevocations(Revocation.newBuilder()
                    .setTokenId(revocation.tokenId())
                    .setIssuedBeforeMs(revocation.byUser() ? revocation.issuedBefore().toEpochMilli() : 0)
                    .setUntilMs(revocation.until().toEpochMilli())));
            return result.build();
        });
    }
}
