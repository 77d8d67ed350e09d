package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.engine.Whisper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The stream entry text of a publication: whispers round-trip, and entries stored before whispers still read. */
class PublicationCodecTest {

    private static final LogId INBOX = LogId.user("bob");
    private static final Position AT = new Position("e1", 3);

    @Test
    void aWhisperKeepsItsRoomAndRecipients() {
        Publication whisper = new Publication("m1", INBOX, "alice", 1700000000000L, AT, "{\"a\":\"x\\ty\"}",
                new Whisper("lobby", List.of("bob", "carol d")));
        assertThat(PublicationCodec.decode(PublicationCodec.encode(whisper), INBOX, AT)).isEqualTo(whisper);
    }

    @Test
    void aPlainPublicationIsEncodedAsBeforeWhispers() {
        Publication plain = new Publication("m1", INBOX, "alice", 1700000000000L, AT, "\"hi\"");
        assertThat(PublicationCodec.encode(plain)).isEqualTo("m1\nalice\n1700000000000\n\"hi\"");
        assertThat(PublicationCodec.decode(PublicationCodec.encode(plain), INBOX, AT)).isEqualTo(plain);
    }

    @Test
    void anEntryStoredBeforeWhispersReadsAsNoWhisper() {
        Publication read = PublicationCodec.decode("m1\nalice\n1700000000000\n{\"t\":\"a\\tb\"}", INBOX, AT);
        assertThat(read.whisper()).isNull();
        assertThat(read.timestamp()).isEqualTo(1700000000000L);
        assertThat(read.bodyJson()).isEqualTo("{\"t\":\"a\\tb\"}");
    }
}
