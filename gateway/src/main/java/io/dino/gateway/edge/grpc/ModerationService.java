package io.dino.gateway.edge.grpc;

import io.dino.api.v1.AddBlacklistWordsRequest;
import io.dino.api.v1.AddBlacklistWordsResponse;
import io.dino.api.v1.Ban;
import io.dino.api.v1.BanUserRequest;
import io.dino.api.v1.BanUserResponse;
import io.dino.api.v1.DeleteMessagesRequest;
import io.dino.api.v1.DeleteMessagesResponse;
import io.dino.api.v1.KickUserRequest;
import io.dino.api.v1.KickUserResponse;
import io.dino.api.v1.ListBansRequest;
import io.dino.api.v1.ListBansResponse;
import io.dino.api.v1.ListBlacklistWordsRequest;
import io.dino.api.v1.ListBlacklistWordsResponse;
import io.dino.api.v1.ListMutesRequest;
import io.dino.api.v1.ListMutesResponse;
import io.dino.api.v1.ModerationGrpc;
import io.dino.api.v1.Mute;
import io.dino.api.v1.MuteUserRequest;
import io.dino.api.v1.MuteUserResponse;
import io.dino.api.v1.RemoveBlacklistWordsRequest;
import io.dino.api.v1.RemoveBlacklistWordsResponse;
import io.dino.api.v1.RestoreMessagesRequest;
import io.dino.api.v1.RestoreMessagesResponse;
import io.dino.api.v1.UnbanUserRequest;
import io.dino.api.v1.UnbanUserResponse;
import io.dino.api.v1.UnmuteUserRequest;
import io.dino.api.v1.UnmuteUserResponse;
import io.dino.gateway.core.Blacklisting;
import io.dino.gateway.core.DinoException;
import io.dino.gateway.core.ErrorCode;
import io.dino.gateway.core.MessageDeletes;
import io.dino.gateway.core.Moderation;
import io.dino.gateway.core.SanctionOperations;
import io.dino.gateway.engine.Sanctions.Sanction;
import io.dino.gateway.engine.Sanctions.Target;
import io.dino.gateway.ops.GatewayMetrics;
import io.grpc.stub.StreamObserver;
import java.util.Optional;

/** The {@code dino.v1.Moderation} service: moderation as the backend does it (trusted), each call one core operation. */
public final class ModerationService extends ModerationGrpc.ModerationImplBase {

    private final Moderation moderation;
    private final MessageDeletes deletes;
    private final Blacklisting blacklist;
    private final SanctionOperations sanctions;
    private final Responses responses;

    public ModerationService(Moderation moderation, MessageDeletes deletes, Blacklisting blacklist, SanctionOperations sanctions,
                             GatewayMetrics metrics) {
        this.sanctions = sanctions;
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
            MessageDeletes.Target target = target(request.getTargetCase().name(), request.getMessageId(), request.getOffset(),
                    request.getUser(), request.getAll());
            MessageDeletes.Outcome outcome = deletes.deleteMessages(request.getRoom(), target, request.getBy());
            return DeleteMessagesResponse.newBuilder().addAllMessageIds(outcome.ids()).setUser(outcome.user())
                    .setAll(outcome.all()).setEpoch(outcome.upTo().epoch()).setOffset(outcome.upTo().offset())
                    .setChanged(outcome.changed()).build();
        });
    }

    @Override
    public void restoreMessages(RestoreMessagesRequest request, StreamObserver<RestoreMessagesResponse> response) {
        responses.respond(response, () -> {
            MessageDeletes.Target target = target(request.getTargetCase().name(), request.getMessageId(), request.getOffset(),
                    request.getUser(), request.getAll());
            MessageDeletes.Outcome outcome = deletes.restoreMessages(request.getRoom(), target, request.getBy());
            return RestoreMessagesResponse.newBuilder().addAllMessageIds(outcome.ids()).setUser(outcome.user())
                    .setAll(outcome.all()).setChanged(outcome.changed()).build();
        });
    }

    /** The one target of a delete or a restore: both requests have the same oneof ({@code which}: its case's name). */
    private static MessageDeletes.Target target(String which, String messageId, long offset, String user, boolean all) {
        return switch (which) {
            case "MESSAGE_ID" -> new MessageDeletes.Target.Message(messageId,
                    offset > 0 ? java.util.OptionalLong.of(offset) : java.util.OptionalLong.empty());
            case "USER" -> new MessageDeletes.Target.User(user);
            case "ALL" -> {
                if (!all) {
                    throw noTarget();
                }
                yield new MessageDeletes.Target.All();
            }
            default -> throw noTarget();
        };
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

    @Override
    public void banUser(BanUserRequest request, StreamObserver<BanUserResponse> response) {
        responses.respond(response, () -> {
            Target target = sanctionTarget(request.getScopeCase().name(), request.getRoom(), request.getChannel());
            SanctionOperations.BanResult banned = sanctions.banUser(request.getUser(), target, request.getDuration(),
                    request.getReason(), request.getBy());
            return BanUserResponse.newBuilder().setUntilMs(banned.until()).setSessionsRemoved(banned.sessions()).build();
        });
    }

    @Override
    public void unbanUser(UnbanUserRequest request, StreamObserver<UnbanUserResponse> response) {
        responses.respond(response, () -> {
            Target target = sanctionTarget(request.getScopeCase().name(), request.getRoom(), request.getChannel());
            return UnbanUserResponse.newBuilder()
                    .setRemoved(sanctions.unbanUser(request.getUser(), target, request.getBy())).build();
        });
    }

    @Override
    public void listBans(ListBansRequest request, StreamObserver<ListBansResponse> response) {
        responses.respond(response, () -> {
            ListBansResponse.Builder result = ListBansResponse.newBuilder();
            var bans = switch (request.getScopeCase()) {
                case USER -> sanctions.listBans(Optional.empty(), Optional.of(request.getUser()));
                case SCOPE_NOT_SET -> throw new DinoException(ErrorCode.INVALID_VALUE, "name a room, a channel, global or a user");
                default -> sanctions.listBans(Optional.of(sanctionTarget(request.getScopeCase().name(), request.getRoom(),
                        request.getChannel())), Optional.empty());
            };
            for (Sanction ban : bans) {
                result.addBans(Ban.newBuilder().setUser(ban.user()).setScope(ban.target().scopeName())
                        .setTarget(ban.target().id()).setUntilMs(ban.until()).setBy(ban.by()).setReason(ban.reason())
                        .setAtMs(ban.at()));
            }
            return result.build();
        });
    }

    @Override
    public void muteUser(MuteUserRequest request, StreamObserver<MuteUserResponse> response) {
        responses.respond(response, () -> MuteUserResponse.newBuilder()
                .setUntilMs(sanctions.muteUser(request.getRoom(), request.getUser(), request.getDuration(),
                        request.getReason(), request.getBy()))
                .build());
    }

    @Override
    public void unmuteUser(UnmuteUserRequest request, StreamObserver<UnmuteUserResponse> response) {
        responses.respond(response, () -> UnmuteUserResponse.newBuilder()
                .setRemoved(sanctions.unmuteUser(request.getRoom(), request.getUser(), request.getBy())).build());
    }

    @Override
    public void listMutes(ListMutesRequest request, StreamObserver<ListMutesResponse> response) {
        responses.respond(response, () -> {
            ListMutesResponse.Builder result = ListMutesResponse.newBuilder();
            for (Sanction mute : sanctions.listMutes(request.getRoom())) {
                result.addMutes(Mute.newBuilder().setRoom(mute.target().id()).setUser(mute.user()).setUntilMs(mute.until())
                        .setBy(mute.by()).setReason(mute.reason()).setAtMs(mute.at()));
            }
            return result.build();
        });
    }

    /** The target a request's {@code scope} oneof names: each message has its own generated enum, of the same names. */
    private static Target sanctionTarget(String scope, String room, String channel) {
        return switch (scope) {
            case "ROOM" -> Target.room(room);
            case "CHANNEL" -> Target.channel(channel);
            case "GLOBAL" -> Target.GLOBAL;
            default -> throw noScope();
        };
    }

    private static DinoException noScope() {
        return new DinoException(ErrorCode.INVALID_VALUE, "name the scope: room, channel or global");
    }
}
