package io.dino.gateway.edge.grpc;

import io.dino.api.v1.KickUserRequest;
import io.dino.api.v1.KickUserResponse;
import io.dino.api.v1.ModerationGrpc;
import io.dino.gateway.core.Moderation;
import io.dino.gateway.ops.GatewayMetrics;
import io.grpc.stub.StreamObserver;

/** The {@code dino.v1.Moderation} service: moderation as the backend does it (trusted), each call one core operation. */
public final class ModerationService extends ModerationGrpc.ModerationImplBase {

    private final Moderation moderation;
    private final Responses responses;

    public ModerationService(Moderation moderation, GatewayMetrics metrics) {
        this.moderation = moderation;
        this.responses = new Responses(metrics, ModerationService.class);
    }

    @Override
    public void kickUser(KickUserRequest request, StreamObserver<KickUserResponse> response) {
        responses.respond(response, () -> KickUserResponse.newBuilder()
                .setSessionsRemoved(moderation.kickUser(request.getRoom(), request.getUser(), request.getReason(), request.getBy()))
                .build());
    }
}
