package io.dino.gateway.e2e;

import io.dino.api.v1.BackendGrpc;
import io.dino.api.v1.PublishToRoomRequest;
import io.dino.gateway.TestNode;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** dino.limits.rate.api-key-calls: every backend API call of one key takes a token of that key's bucket. */
class ApiKeyRateLimitTest {

    private static final Metadata.Key<String> ERROR = Metadata.Key.of("dino-error", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> RETRY_AFTER = Metadata.Key.of("dino-retry-after-ms", Metadata.ASCII_STRING_MARSHALLER);

    private static PublishToRoomRequest publish(String body) {
        return PublishToRoomRequest.newBuilder().setRoom("rl-api").setBodyJson("\"" + body + "\"").build();
    }

    @Test
    void aKeyOverItsBudgetGetsResourceExhaustedWithTrailersAndOtherKeysAndHealthChecksDoNot() {
        try (TestNode node = TestNode.start(Map.of("dino.api-keys.1", "other-key",
                "dino.limits.rate.api-key-calls.per-second", "2",
                "dino.limits.rate.api-key-calls.burst", "2"))) {
            ManagedChannel channel = node.channel();
            BackendGrpc.BackendBlockingStub limited = TestNode.backend(channel, TestNode.API_KEY);
            limited.publishToRoom(publish("one"));
            limited.publishToRoom(publish("two"));

            StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                    () -> limited.publishToRoom(publish("over")));
            assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(refused.getStatus().getDescription()).contains("too many calls with this API key");
            assertThat(refused.getTrailers().get(ERROR)).isEqualTo("RATE_LIMITED");
            long retryAfterMs = Long.parseLong(refused.getTrailers().get(RETRY_AFTER));
            assertThat(retryAfterMs).isBetween(1L, 500L);

            TestNode.backend(channel, "other-key").publishToRoom(publish("other key"));
            HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance());
            StatusRuntimeException badKey = catchThrowableOfType(StatusRuntimeException.class,
                    () -> TestNode.backend(channel, "not-a-key").publishToRoom(publish("x")));
            assertThat(badKey.getStatus().getCode()).as("an unknown key is refused as before").isEqualTo(Status.Code.UNAUTHENTICATED);

            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(retryAfterMs))
                    .ignoreExceptionsInstanceOf(StatusRuntimeException.class)
                    .until(() -> limited.publishToRoom(publish("later")) != null);
        }
    }

    @Test
    void withoutTheSettingAKeyIsNotLimited() {
        try (TestNode node = TestNode.start()) {
            BackendGrpc.BackendBlockingStub backend = node.backend();
            for (int i = 0; i < 3_000; i++) {
                backend.publishToRoom(publish("n" + i));
            }
        }
    }
}
