package io.dino.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Dedupe and ordering per log, across live events, buffered events and recovered messages. */
class LogSequencerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final LogId LOBBY = LogId.room("lobby");

    private final LogSequencer sequencer = new LogSequencer();
    private final List<JsonNode> delivered = new ArrayList<>();

    // ---- live events ---------------------------------------------------------------------------------------

    @Test
    void liveMessagesAfterTheJoinPositionAreDeliveredAndRepeatsDropped() {
        joined("lobby", "e1", 2);

        live(message("lobby", "e1", 3));
        live(message("lobby", "e1", 4));
        live(message("lobby", "e1", 4));
        live(message("lobby", "e1", 3));
        live(message("lobby", "e1", 5));

        assertThat(offsets()).containsExactly(3L, 4L, 5L);
        assertThat(sequencer.duplicatesDropped()).isEqualTo(2);
        assertThat(sequencer.position(LOBBY)).isEqualTo(new Position("e1", 5));
    }

    @Test
    void aNewEpochIsAcceptedAndStartsOver() {
        joined("lobby", "e1", 7);

        live(message("lobby", "e1", 8));
        live(message("lobby", "e2", 1));
        live(message("lobby", "e2", 2));
        live(message("lobby", "e2", 1));

        assertThat(delivered).extracting(e -> e.at("/msg/epoch").asText() + ":" + e.at("/msg/offset").asLong())
                .containsExactly("e1:8", "e2:1", "e2:2");
        assertThat(sequencer.position(LOBBY)).isEqualTo(new Position("e2", 2));
        assertThat(sequencer.gaps()).isZero();
    }

    @Test
    void messagesOfRoomsNotFollowedAreDropped() {
        live(message("elsewhere", "e1", 1));

        assertThat(delivered).isEmpty();
        assertThat(sequencer.duplicatesDropped()).isZero();
    }

    @Test
    void eventsWithoutALogPassThrough() {
        JsonNode broadcast = event("broadcast", MAPPER.createObjectNode().put("id", "b1").put("body", "hi"));

        assertThat(sequencer.live(broadcast)).contains(broadcast);
    }

    @Test
    void skippedOffsetsAreDeliveredAndCountedAsGaps() {
        joined("lobby", "e1", 0);

        live(message("lobby", "e1", 1));
        live(message("lobby", "e1", 3));

        assertThat(offsets()).containsExactly(1L, 3L);
        assertThat(sequencer.gaps()).isEqualTo(1);
    }

    // ---- first join ----------------------------------------------------------------------------------------

    @Test
    void firstJoinBuffersLiveEventsAndStartsAtTheJoinPosition() {
        sequencer.begin(LOBBY);
        live(message("lobby", "e1", 4)); // published before the join read the room's position: history
        live(message("lobby", "e1", 5));
        live(message("lobby", "e1", 6));
        assertThat(delivered).isEmpty();

        LogSequencer.Completion completion = sequencer.complete(LOBBY, joinResult("lobby", "e1", 4));

        assertThat(completion.recovery()).isNull();
        assertThat(offsetsOf(completion.deliver())).containsExactly(5L, 6L);
        live(message("lobby", "e1", 6));
        live(message("lobby", "e1", 7));
        assertThat(offsets()).containsExactly(7L);
        assertThat(sequencer.position(LOBBY)).isEqualTo(new Position("e1", 7));
    }

    @Test
    void aFailedFirstJoinForgetsTheRoom() {
        sequencer.begin(LOBBY);
        live(message("lobby", "e1", 1));

        sequencer.abort(LOBBY);
        live(message("lobby", "e1", 2));

        assertThat(delivered).isEmpty();
        assertThat(sequencer.follows(LOBBY)).isFalse();
        assertThat(sequencer.positions()).isEmpty();
    }

    @Test
    void aRoomLeftWhileItsJoinWasInFlightStaysForgotten() {
        sequencer.begin(LOBBY);
        sequencer.forget(LOBBY);

        LogSequencer.Completion completion = sequencer.complete(LOBBY, joinResult("lobby", "e1", 3));

        assertThat(completion.deliver()).isEmpty();
        assertThat(completion.recovery()).isNull();
        assertThat(sequencer.follows(LOBBY)).isFalse();
    }

    // ---- recovery ------------------------------------------------------------------------------------------

    @Test
    void recoveredMessagesComeFirstThenBufferedLiveOnesEachOnce() {
        joined("lobby", "e1", 10);
        live(message("lobby", "e1", 11));
        sequencer.connectionLost();

        sequencer.begin(LOBBY); // re-join since e1:11
        // The server subscribed before reading the gap: 13 and 14 come live before the reply, 13 also recovered.
        live(message("lobby", "e1", 13));
        live(message("lobby", "e1", 14));
        LogSequencer.Completion completion = sequencer.complete(LOBBY,
                recovered(joinResult("lobby", "e1", 13), true, message("lobby", "e1", 12), message("lobby", "e1", 13)));
        live(message("lobby", "e1", 12)); // a live copy arriving after the reply
        live(message("lobby", "e1", 15));

        assertThat(completion.recovery()).isEqualTo(new Recovery(LOBBY, true, new Position("e1", 11), new Position("e1", 13), 2));
        assertThat(offsetsOf(completion.deliver())).containsExactly(12L, 13L, 14L);
        assertThat(offsets()).containsExactly(11L, 15L);
        assertThat(sequencer.duplicatesDropped()).isEqualTo(2); // live 13 and live 12
        assertThat(sequencer.gaps()).isZero();
    }

    @Test
    void recoveredMessagesAreWrappedAsTheirEvents() {
        joined("lobby", "e1", 1);
        sequencer.begin(LOBBY);

        LogSequencer.Completion completion = sequencer.complete(LOBBY,
                recovered(joinResult("lobby", "e1", 2), true, message("lobby", "e1", 2)));

        JsonNode event = completion.deliver().getFirst();
        assertThat(event.get("event").asText()).isEqualTo("message");
        assertThat(event.at("/msg/room").asText()).isEqualTo("lobby");
        assertThat(event.at("/msg/body").asText()).isEqualTo("body 2");
    }

    @Test
    void nothingMissedIsARecoveryWithNothingReplayed() {
        joined("lobby", "e1", 5);
        sequencer.begin(LOBBY);

        LogSequencer.Completion completion = sequencer.complete(LOBBY, recovered(joinResult("lobby", "e1", 5), true));

        assertThat(completion.recovery()).isEqualTo(new Recovery(LOBBY, true, new Position("e1", 5), new Position("e1", 5), 0));
        assertThat(completion.deliver()).isEmpty();
        assertThat(sequencer.position(LOBBY)).isEqualTo(new Position("e1", 5));
    }

    @Test
    void anUnrecoverableGapIsReportedAndDeliveryContinuesAfterTheServerPosition() {
        joined("lobby", "e1", 10);
        sequencer.begin(LOBBY);
        live(message("lobby", "e1", 2000)); // in the gap: not delivered, that would be a partial replay
        live(message("lobby", "e1", 2001));

        LogSequencer.Completion completion = sequencer.complete(LOBBY, recovered(joinResult("lobby", "e1", 2000), false));

        assertThat(completion.recovery()).isEqualTo(new Recovery(LOBBY, false, new Position("e1", 10), new Position("e1", 2000), 0));
        assertThat(offsetsOf(completion.deliver())).containsExactly(2001L);
        assertThat(sequencer.position(LOBBY)).isEqualTo(new Position("e1", 2001));
    }

    @Test
    void aLogResetDuringTheOutageIsAFailedRecoveryInTheNewEpoch() {
        joined("lobby", "e1", 10);
        sequencer.begin(LOBBY);
        live(message("lobby", "e2", 1));
        live(message("lobby", "e2", 2));

        LogSequencer.Completion completion = sequencer.complete(LOBBY, recovered(joinResult("lobby", "e2", 1), false));

        assertThat(completion.recovery().recovered()).isFalse();
        assertThat(completion.recovery().to()).isEqualTo(new Position("e2", 1));
        assertThat(offsetsOf(completion.deliver())).containsExactly(2L);
        assertThat(sequencer.position(LOBBY)).isEqualTo(new Position("e2", 2));
    }

    @Test
    void eventsBufferedOnALostConnectionAreNotDeliveredLater() {
        joined("lobby", "e1", 1);
        sequencer.begin(LOBBY);
        live(message("lobby", "e1", 3)); // arrived on the connection that is lost before its join reply
        sequencer.connectionLost();

        sequencer.begin(LOBBY); // the next connection's re-join
        LogSequencer.Completion completion = sequencer.complete(LOBBY,
                recovered(joinResult("lobby", "e1", 2), true, message("lobby", "e1", 2)));

        assertThat(offsetsOf(completion.deliver())).containsExactly(2L);
        assertThat(sequencer.position(LOBBY)).isEqualTo(new Position("e1", 2));
    }

    @Test
    void aLostConnectionForgetsFirstJoinsInFlightAndKeepsPositions() {
        joined("lobby", "e1", 4);
        sequencer.begin(LogId.room("new-room"));

        sequencer.connectionLost();

        assertThat(sequencer.follows(LogId.room("new-room"))).isFalse();
        assertThat(sequencer.positions()).containsExactly(java.util.Map.entry(LOBBY, new Position("e1", 4)));
        live(message("lobby", "e1", 5)); // not buffering any more
        assertThat(offsets()).containsExactly(5L);
    }

    @Test
    void aResultWithoutAPositionDeliversWhatWasBufferedAndKeepsFollowing() {
        sequencer.begin(LogId.INBOX);
        live(privateMessage("alice", "u1", 1));
        live(privateMessage("alice", "u1", 1));

        LogSequencer.Completion completion = sequencer.complete(LogId.INBOX, MAPPER.missingNode());
        live(privateMessage("alice", "u1", 2));

        assertThat(completion.recovery()).isNull();
        assertThat(offsetsOf(completion.deliver())).containsExactly(1L);
        assertThat(offsets()).containsExactly(2L);
    }

    // ---- inbox ---------------------------------------------------------------------------------------------

    @Test
    void inboxRecoveryOnConnectMergesReplayedAndLivePrivateMessages() {
        sequencer.begin(LogId.INBOX);
        live(privateMessage("alice", "u1", 3));
        LogSequencer.Completion first = sequencer.complete(LogId.INBOX, inbox("u1", 2));
        assertThat(first.recovery()).isNull();
        assertThat(offsetsOf(first.deliver())).containsExactly(3L);
        sequencer.connectionLost();

        sequencer.begin(LogId.INBOX); // reconnect with inbox: u1:3
        live(privateMessage("alice", "u1", 5));
        LogSequencer.Completion second = sequencer.complete(LogId.INBOX,
                recovered(inbox("u1", 5), true, privateMessage("alice", "u1", 4).get("msg"), privateMessage("alice", "u1", 5).get("msg")));

        assertThat(second.recovery()).isEqualTo(new Recovery(LogId.INBOX, true, new Position("u1", 3), new Position("u1", 5), 2));
        assertThat(second.deliver()).extracting(e -> e.get("event").asText()).containsExactly("private", "private");
        assertThat(offsetsOf(second.deliver())).containsExactly(4L, 5L);
        assertThat(sequencer.positions()).containsEntry(LogId.INBOX, new Position("u1", 5));
    }

    @Test
    void logsAreKeptApart() {
        sequencer.begin(LogId.INBOX);
        sequencer.complete(LogId.INBOX, inbox("u1", 0));
        joined("lobby", "e1", 0);
        joined("kitchen", "e1", 0);

        live(message("lobby", "e1", 1));
        live(message("kitchen", "e1", 1));
        live(privateMessage("alice", "u1", 1));
        live(message("lobby", "e1", 1));

        assertThat(delivered).hasSize(3);
        assertThat(sequencer.positions()).containsOnlyKeys(LogId.INBOX, LOBBY, LogId.room("kitchen"));
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private void joined(String room, String epoch, long offset) {
        LogId log = LogId.room(room);
        sequencer.begin(log);
        delivered.addAll(sequencer.complete(log, joinResult(room, epoch, offset)).deliver());
    }

    private void live(JsonNode event) {
        Optional<JsonNode> now = sequencer.live(event);
        now.ifPresent(delivered::add);
    }

    private List<Long> offsets() {
        return offsetsOf(delivered);
    }

    private static List<Long> offsetsOf(List<JsonNode> events) {
        return events.stream().map(e -> e.at("/msg/offset").asLong()).toList();
    }

    private static JsonNode message(String room, String epoch, long offset) {
        ObjectNode msg = MAPPER.createObjectNode().put("id", "m" + offset).put("room", room).put("from", "bob")
                .put("ts", 1000 + offset).put("epoch", epoch).put("offset", offset).put("body", "body " + offset);
        return event("message", msg);
    }

    private static JsonNode privateMessage(String to, String epoch, long offset) {
        ObjectNode msg = MAPPER.createObjectNode().put("id", "p" + offset).put("to", to).put("from", "bob")
                .put("ts", 1000 + offset).put("epoch", epoch).put("offset", offset).put("body", "body " + offset);
        return event("private", msg);
    }

    private static JsonNode event(String type, JsonNode msg) {
        ObjectNode event = MAPPER.createObjectNode().put("event", type);
        event.set("msg", msg);
        return event;
    }

    private static ObjectNode joinResult(String room, String epoch, long offset) {
        ObjectNode result = MAPPER.createObjectNode().put("room", room).put("epoch", epoch).put("offset", offset);
        result.putArray("members").add("alice");
        return result;
    }

    private static ObjectNode inbox(String epoch, long offset) {
        return MAPPER.createObjectNode().put("epoch", epoch).put("offset", offset);
    }

    /** Adds {@code recovered} and {@code messages} (message objects, or events whose msg is taken). */
    private static ObjectNode recovered(ObjectNode result, boolean recovered, JsonNode... messages) {
        result.put("recovered", recovered);
        ArrayNode array = result.putArray("messages");
        for (JsonNode message : messages) {
            array.add(message.has("msg") ? message.get("msg") : message);
        }
        return result;
    }
}
