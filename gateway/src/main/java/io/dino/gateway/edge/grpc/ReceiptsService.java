package io.dino.gateway.edge.grpc;

import io.dino.api.v1.GetReceiptsRequest;
import io.dino.api.v1.GetReceiptsResponse;
import io.dino.api.v1.GetUnackedRequest;
import io.dino.api.v1.GetUnackedResponse;
import io.dino.api.v1.InboxMessage;
import io.dino.api.v1.ReceiptsGrpc;
import io.dino.gateway.core.DinoException;
import io.dino.gateway.core.ErrorCode;
import io.dino.gateway.core.ReceiptOperations;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.ops.GatewayMetrics;
import io.grpc.stub.StreamObserver;

import java.util.Optional;

/** The {@code dino.v1.Receipts} service: receipts as the backend asks for them (trusted), each call one core operation. */
public final class ReceiptsService extends ReceiptsGrpc.ReceiptsImplBase {

    private final ReceiptOperations receipts;
    private final Responses responses;

    public ReceiptsService(ReceiptOperations receipts, GatewayMetrics metrics) {
        this.receipts = receipts;
        this.responses = new Responses(metrics, ReceiptsService.class);
    }

    @Override
    public void getReceipts(GetReceiptsRequest request, StreamObserver<GetReceiptsResponse> response) {
        responses.respond(response, () -> {
            Optional<String> epoch = request.getEpoch().isEmpty() ? Optional.empty() : Optional.of(request.getEpoch());
            long offset = request.getOffset();
            return switch (request.getTargetCase()) {
                case ROOM -> {
                    ReceiptOperations.RoomStatus status = receipts.roomStatus(request.getRoom(), offset, epoch);
                    yield GetReceiptsResponse.newBuilder()
                            .addAllDeliveredUsers(status.delivered()).setDeliveredCount(status.deliveredCount())
                            .addAllReadUsers(status.read()).setReadCount(status.readCount())
                            .build();
                }
                case USER -> {
                    ReceiptOperations.PrivateStatus status = receipts.privateStatus(request.getUser(), offset, epoch);
                    yield GetReceiptsResponse.newBuilder().setDelivered(status.delivered()).setRead(status.read()).build();
                }
                case TARGET_NOT_SET -> throw new DinoException(ErrorCode.MISSING_FIELD, "give room or user");
            };
        });
    }

    @Override
    public void getUnacked(GetUnackedRequest request, StreamObserver<GetUnackedResponse> response) {
        responses.respond(response, () -> {
            ReceiptOperations.Unacked unacked = receipts.unacked(io.dino.gateway.core.Names.user(request.getUser()));
            GetUnackedResponse.Builder result = GetUnackedResponse.newBuilder()
                    .setMore(unacked.more())
                    .setEpoch(unacked.top().epoch())
                    .setOffset(unacked.top().offset());
            for (Publication message : unacked.messages()) {
                result.addMessages(InboxMessage.newBuilder()
                        .setMessageId(message.id())
                        .setSender(message.sender())
                        .setTimestampMs(message.timestamp())
                        .setEpoch(message.position().epoch())
                        .setOffset(message.position().offset())
                        .setBodyJson(message.bodyJson()));
            }
            return result.build();
        });
    }
}
