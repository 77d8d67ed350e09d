package io.dino.client;

import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The extra fields of an error reply (retryAfterMs, until) reach the DinoException. */
class ErrorDetailsTest {

    private final PendingRequests pending = new PendingRequests();
    private final FrameRouter router = new FrameRouter(DinoClient.MAPPER, pending, event -> { }, frame -> { });

    private DinoException failureOf(String error) {
        PendingRequests.Pending request = pending.register(null, "test");
        router.route("{\"id\":" + request.id() + ",\"error\":" + error + "}");
        return (DinoException) catchThrowableOfType(ExecutionException.class, () -> request.reply().get()).getCause();
    }

    @Test
    void aRateLimitedErrorCarriesItsRetryAfter() {
        DinoException error = failureOf("{\"code\":4050,\"name\":\"RATE_LIMITED\",\"message\":\"slow down\",\"retryAfterMs\":1200}");

        assertThat(error.code()).isEqualTo(4050);
        assertThat(error.retryAfterMs()).hasValue(1200);
        assertThat(error.until()).isEmpty();
    }

    @Test
    void anUntilIsCarriedToo() {
        DinoException error = failureOf("{\"code\":4039,\"name\":\"MUTED\",\"message\":\"muted\",\"until\":1790000000000}");

        assertThat(error.until()).hasValue(1_790_000_000_000L);
        assertThat(error.retryAfterMs()).isEmpty();
    }

    @Test
    void anErrorWithoutThemHasNeither() {
        DinoException error = failureOf("{\"code\":4031,\"name\":\"NOT_IN_ROOM\",\"message\":\"join first\",\"retryAfterMs\":\"soon\"}");

        assertThat(error.retryAfterMs()).isEmpty();
        assertThat(error.until()).isEmpty();
    }
}
