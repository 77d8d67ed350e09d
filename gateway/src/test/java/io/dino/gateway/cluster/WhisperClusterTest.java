package io.dino.gateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.e2e.AccessControlTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/** Whispers across two nodes sharing one real Redis: the presence check and the delivery both cross nodes. */
class WhisperClusterTest {

    @RegisterExtension
    static final TwoRedisNodes cluster = TwoRedisNodes.withDefaults();

    private static boolean whisper(JsonNode event, String body) {
        return "private".equals(event.path("event").asText()) && body.equals(event.path("msg").path("body").asText());
    }

    @Test
    void aWhisperFromNodeAReachesItsRecipientAndTheSendersSessionOnNodeBAndNoOtherMember() throws Exception {
        EventRecorder bobOnB = new EventRecorder();
        EventRecorder annOnB = new EventRecorder();
        EventRecorder eveOnB = new EventRecorder();
        DinoClient ann = cluster.a().client("ann", new EventRecorder());
        ann.join("den").join();
        cluster.b().client("bob", bobOnB).join("den").join();
        cluster.b().client("ann", annOnB).join("den").join();
        DinoClient eve = cluster.b().client("eve", eveOnB);
        eve.join("den").join();

        JsonNode reply = ann.whisper("den", List.of("bob"), "over here").join();

        JsonNode toBob = bobOnB.await(event -> whisper(event, "over here"), TIMEOUT).get("msg");
        assertThat(toBob.get("whisper").asText()).isEqualTo("den");
        assertThat(toBob.get("recipients")).extracting(JsonNode::asText).containsExactly("bob");
        assertThat(toBob.get("from").asText()).isEqualTo("ann");
        JsonNode toAnn = annOnB.await(event -> whisper(event, "over here"), TIMEOUT).get("msg");
        assertThat(toAnn.get("id").asText()).isEqualTo(reply.get("id").asText());
        assertThat(toAnn.get("whisper").asText()).isEqualTo("den");

        ann.send("den", "aloud").join();
        eveOnB.await(event -> "aloud".equals(event.path("msg").path("body").asText()), TIMEOUT);
        assertThat(eveOnB.events()).noneMatch(event -> whisper(event, "over here"));
        JsonNode eveInbox = eve.request("history", new ObjectMapper().createObjectNode().put("inbox", true)).join();
        assertThat(eveInbox.get("messages")).isEmpty();
    }

    @Test
    void aRecipientOnAnotherNodeWhoLeftTheRoomRefusesTheWhisper() {
        DinoClient ann = cluster.a().client("ann2", new EventRecorder());
        ann.join("nook").join();
        DinoClient bob = cluster.b().client("bob2", new EventRecorder());
        bob.join("nook").join();
        bob.leave("nook").join();
        var refused = AccessControlTest.refusal(ann.whisper("nook", List.of("bob2"), "still there?"));
        assertThat(refused.name()).isEqualTo("INVALID_VALUE");
        assertThat(refused.getMessage()).isEqualTo("'bob2' is not in room 'nook'");
    }
}
