package io.dino.gateway.e2e;

import io.dino.client.DinoSession;
import io.dino.client.EventRecorder;
import io.dino.client.LogId;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Java {@link DinoSession} stops following a room its user was kicked from, and only then (memory engine). */
class KickSessionTest {

    @RegisterExtension
    static final OneNode single = OneNode.withDefaults();

    @Test
    void aSessionStopsFollowingARoomItsUserWasKickedFromButNotOneWhereAnotherUserWas() throws Exception {
        TestNode node = single.node();
        EventRecorder events = new EventRecorder();
        DinoSession session = DinoSession.builder(List.of(node.wsUri()), () -> node.token("ks-kid", Set.of(), Map.of()))
                .onEvent(events).build();
        try {
            session.start().join();
            session.join("ks-out").join();
            session.join("ks-stays").join();
            node.client("ks-other", new EventRecorder()).join("ks-stays").join();
            var op = node.operatorClient("ks-op", new EventRecorder());

            assertThat(op.kick("ks-stays", "ks-other", null).join().get("sessions").asInt()).isEqualTo(1);
            assertThat(events.await("kicked", TIMEOUT).get("user").asText()).isEqualTo("ks-other");
            assertThat(op.kick("ks-out", "ks-kid", "out").join().get("sessions").asInt()).isEqualTo(1);
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(session.positions())
                    .doesNotContainKey(LogId.room("ks-out")).containsKey(LogId.room("ks-stays")));
        } finally {
            session.close();
        }
    }
}
