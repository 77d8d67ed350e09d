package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.api.client.DinoBackendClient;
import io.dino.api.v1.GetReceiptsRequest;
import io.dino.api.v1.GetReceiptsResponse;
import io.dino.api.v1.GetUnackedResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static io.dino.gateway.e2e.ChatUser.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The {@code dino.v1.Receipts} service through the backend client (memory engine). */
class ReceiptsApiTest {

    @RegisterExtension
    static final OneNode single = OneNode.withDefaults();

    @Test
    void aBackendAsksWhoReadARoomMessageAndWhetherAPrivateOneArrived() {
        ChatUser ann = user(single.node(), "ra-ann");
        ChatUser ben = user(single.node(), "ra-ben");
        ann.client().join("ra-room").join();
        ben.client().join("ra-room").join();
        ann.client().send("ra-room", Map.of("text", "hi")).join();
        ben.client().receipt("ra-room", "read", 1).join();
        ann.client().receipt("ra-room", "delivered", 1).join();

        GetReceiptsResponse room = single.backend().roomReceipts("ra-room", 1);
        assertThat(room.getDeliveredUsersList()).containsExactly("ra-ann", "ra-ben");
        assertThat(room.getDeliveredCount()).isEqualTo(2);
        assertThat(room.getReadUsersList()).containsExactly("ra-ben");
        assertThat(room.getReadCount()).isEqualTo(1);

        var sent = single.backend().stub().publishToUsers(io.dino.api.v1.PublishToUsersRequest.newBuilder()
                .addUsers("ra-cy").setBodyJson("{\"text\":\"welcome\"}").setSender("bot").build());
        long offset = sent.getResults(0).getPosition().getOffset();
        assertThat(single.backend().privateReceipts("ra-cy", offset).getDelivered()).isFalse();

        GetUnackedResponse unacked = single.backend().unacked("ra-cy");
        assertThat(unacked.getMessagesList()).hasSize(1);
        assertThat(unacked.getMessages(0).getSender()).isEqualTo("bot");
        assertThat(unacked.getMessages(0).getBodyJson()).isEqualTo("{\"text\":\"welcome\"}");
        assertThat(unacked.getMessages(0).getOffset()).isEqualTo(offset);
        assertThat(unacked.getMore()).isFalse();

        ChatUser cy = user(single.node(), "ra-cy");
        JsonNode ack = cy.client().inboxReceipt("read", offset).join();
        assertThat(ack.path("read").asLong()).isEqualTo(offset);
        GetReceiptsResponse status = single.backend().privateReceipts("ra-cy", offset);
        assertThat(status.getDelivered()).isTrue();
        assertThat(status.getRead()).isTrue();
        assertThat(single.backend().unacked("ra-cy").getMessagesList()).isEmpty();
    }

    @Test
    void refusalsAreGrpcStatusesAndTheServiceNeedsAnApiKey() {
        assertThat(code(() -> single.backend().roomReceipts("ra-empty", 1))).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(() -> single.backend().privateReceipts("ra-nobody", 1))).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(() -> single.backend().roomReceipts("bad room", 1))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(code(() -> single.backend().receiptsStub().getReceipts(GetReceiptsRequest.newBuilder().setOffset(1).build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        try (DinoBackendClient keyless = DinoBackendClient.builder("127.0.0.1", single.node().grpcPort()).apiKey("wrong").build()) {
            assertThat(code(() -> keyless.unacked("ra-cy"))).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(code(() -> keyless.roomReceipts("ra-room", 1))).isEqualTo(Status.Code.UNAUTHENTICATED);
        }
    }

    private static Status.Code code(Runnable call) {
        StatusRuntimeException failed = catchThrowableOfType(StatusRuntimeException.class, call::run);
        assertThat(failed).as("the call was refused").isNotNull();
        return failed.getStatus().getCode();
    }
}
