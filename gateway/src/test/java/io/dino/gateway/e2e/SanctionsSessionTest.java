package io.dino.gateway.e2e;

import io.dino.client.DinoException;
import io.dino.client.DinoSession;
import io.dino.client.EventRecorder;
import io.dino.client.LogId;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The Java {@link DinoSession} stops following a room its user was banned from, and gives up for good (no
 * reconnect) when its user is banned globally (memory engine).
 */
class SanctionsSessionTest {

    @RegisterExtension
    static final OneNode single = OneNode.withDefaults();

    @Test
    void aSessionStopsFollowingARoomItsUserWasBannedFromAndClosesForGoodOnAGlobalBan() throws Exception {
        TestNode node = single.node();
        EventRecorder events = new EventRecorder();
        DinoSession session = DinoSession.builder(List.of(node.wsUri()), () -> node.token("ss-user", Set.of(), Map.of()))
                .onEvent(events).build();
        try {
            session.start().join();
            session.join("ss-out").join();
            session.join("ss-stays").join();
            var op = node.operatorClient("ss-op", new EventRecorder());

            assertThat(op.ban("ss-user", "room", "ss-out", "1h", null).join().get("sessions").asInt()).isEqualTo(1);
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(session.positions())
                    .doesNotContainKey(LogId.room("ss-out")).containsKey(LogId.room("ss-stays")));

            assertThat(op.ban("ss-user", "global", null, "1h", "gone").join().get("sessions").asInt()).isEqualTo(1);
            ExecutionException closed = catchThrowableOfType(ExecutionException.class,
                    () -> session.closeFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            DinoException cause = (DinoException) closed.getCause();
            assertThat(cause.code()).isEqualTo(4038);
            assertThat(cause.longDetail("until").orElseThrow()).isPositive();

            // a session of the banned user is refused at connect, and gives up instead of retrying
            DinoSession again = DinoSession.builder(List.of(node.wsUri()), () -> node.token("ss-user", Set.of(), Map.of()))
                    .onEvent(new EventRecorder()).build();
            try {
                again.start();
                ExecutionException refused = catchThrowableOfType(ExecutionException.class,
                        () -> again.closeFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
                assertThat(((DinoException) refused.getCause()).code()).isEqualTo(4038);
            } finally {
                again.close();
            }
        } finally {
            session.close();
        }
    }
}
