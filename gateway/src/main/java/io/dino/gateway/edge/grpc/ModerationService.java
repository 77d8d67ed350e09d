package io.dino.gateway.edge.grpc;

import io.dino.api.v1.DeleteMessagesRequest;
import io.dino.api.v1.DeleteMessagesResponse;
import io.dino.api.v1.AddBlacklistWordsRequest;
import io.dino.api.v1.AddBlacklistWordsResponse;
import io.dino.api.v1.KickUserRequest;
import io.dino.api.v1.KickUserResponse;
import io.dino.api.v1.ListBlacklistWordsRequest;
import io.dino.api.v1.ListBlacklistWordsResponse;
import io.dino.api.v1.ModerationGrpc;
import io.dino.api.v1.RestoreMessagesRequest;
import io.dino.api.v1.RestoreMessagesResponse;
import io.dino.gateway.core.DinoException;
import io.dino.gateway.core.ErrorCode;
import io.dino.gateway.core.MessageDeletes;
import io.dino.api.v1.RemoveBlacklistWordsRequest;
import io.dino.api.v1.RemoveBlacklistWordsResponse;
import io.dino.gateway.core.Blacklisting;
import io.dino.gateway.core.Moderation;
import io.dino.gateway.ops.GatewayMetrics;
import io.grpc.stub.StreamObserver;

/** The {@code dino.v1.Moderation} service: moderation as the backend does it (trusted), each call one core operation. */
public final class ModerationService extends ModerationGrpc.ModerationImplBase {

    private final Moderation moderation;
    private final MessageDeletes deletes;
    private final Blacklisting blacklist;
    private final Responses responses;

    public ModerationService(Moderation moderation, MessageDeletes deletes, Blacklisting blacklist, GatewayMetrics metrics) {
        this.moderation = moderation;
        this.deletes = deletes;
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
    public void deleteMessages(DeleteMessagesRequest request, StreamObserver<DeleteMessagesResponse> response) {
        responses.respond(response, () -> {
            MessageDeletes.Target target = switch (request.getTargetCase()) {
                case MESSAGE_ID -> message(request.getMessageId(), request.getOffset());
                case USER -> new MessageDeletes.Target.User(request.getUser());
                case ALL -> all(request.getAll());
                case TARGET_NOT_SET -> throw noTarget();
            };
            MessageDeletes.Outcome outcome = deletes.deleteMessages(request.getRoom(), target, request.getBy());
            return DeleteMessagesResponse.newBuilder().addAllMessageIds(outcome.ids()).setUser(outcome.user())
                    .setAll(outcome.all()).setEpoch(outcome.upTo().epoch()).setOffset(outcome.upTo().offset())
                    .setChanged(outcome.changed()).build();
        });
    }

    @Override
    public void restoreMessages(RestoreMessagesRequest request, StreamObserver<RestoreMessagesResponse> response) {
        responses.respond(response, () -> {
            MessageDeletes.Target target = switch (request.getTargetCase()) {
                case MESSAGE_ID -> message(request.getMessageId(), request.getOffset());
                case USER -> new MessageDeletes.Target.User(request.getUser());
                case ALL -> all(request.getAll());
                case TARGET_NOT_SET -> throw noTarget();
            };
            MessageDeletes.Outcome outcome = deletes.restoreMessages(request.getRoom(), target, request.getBy());
            return RestoreMessagesResponse.newBuilder().addAllMessageIds(outcome.ids()).setUser(outcome.user())
                    .setAll(outcome.all()).setChanged(outcome.changed()).build();
        });
    }

    private static MessageDeletes.Target message(String id, long offset) {
        return new MessageDeletes.Target.Message(id, offset > 0 ? java.util.OptionalLong.of(offset) : java.util.OptionalLong.empty());
    }

    private static MessageDeletes.Target all(boolean all) {
        if (!all) {
            throw noTarget();
        }
        return new MessageDeletes.Target.All();
    }

    private static DinoException noTarget() {
        return new DinoException(ErrorCode.INVALID_VALUE, "give exactly one of message_id, user or all (true)");
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
