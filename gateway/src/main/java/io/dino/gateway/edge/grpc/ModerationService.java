package io.dino.gateway.edge.grpc;

import io.dino.api.v1.AddBlacklistWordsRequest;
import io.dino.api.v1.AddBlacklistWordsResponse;
import io.dino.api.v1.KickUserRequest;
import io.dino.api.v1.KickUserResponse;
import io.dino.api.v1.ListBlacklistWordsRequest;
import io.dino.api.v1.ListBlacklistWordsResponse;
import io.dino.api.v1.ModerationGrpc;
import io.dino.api.v1.RemoveBlacklistWordsRequest;
import io.dino.api.v1.RemoveBlacklistWordsResponse;
import io.dino.gateway.core.Blacklisting;
import io.dino.gateway.core.Moderation;
import io.dino.gateway.ops.GatewayMetrics;
import io.grpc.stub.StreamObserver;

/** The {@code dino.v1.Moderation} service: moderation as the backend does it (trusted), each call one core operation. */
public final class ModerationService extends ModerationGrpc.ModerationImplBase {

    private final Moderation moderation;
    private final Blacklisting blacklist;
    private final Responses responses;

    public ModerationService(Moderation moderation, Blacklisting blacklist, GatewayMetrics metrics) {
        this.moderation = moderation;
        this.blacklist = blacklist;
        this.responses = new Responses(metrics, ModerationService.class);
    }

    @Override
    public void kickUser(KickUserRequest request, StreamObserver<KickUserResponse> response) {
        responses.respond(response, () -> KickUserResponse.newBuilder()
                .setSessionsRemoved(moderation.kickUser(request.getRoom(), request.getUser(), request.getReason(), request.getBy()))
                .build());
    }

    @Override
    public void addBlacklistWords(AddBlacklistWordsRequest request, StreamObserver<AddBlacklistWordsResponse> response) {
        responses.respond(response, () -> AddBlacklistWordsResponse.newBuilder()
                .addAllAdded(blacklist.add(request.getWordsList()))
                .build());
    }

    @Override
    public void removeBlacklistWords(RemoveBlacklistWordsRequest request, StreamObserver<RemoveBlacklistWordsResponse> response) {
        responses.respond(response, () -> RemoveBlacklistWordsResponse.newBuilder()
                .addAllRemoved(blacklist.remove(request.getWordsList()))
                .build());
    }

    @Override
    public void listBlacklistWords(ListBlacklistWordsRequest request, StreamObserver<ListBlacklistWordsResponse> response) {
        responses.respond(response, () -> ListBlacklistWordsResponse.newBuilder()
                .addAllWords(blacklist.words())
                .build());
    }
}
