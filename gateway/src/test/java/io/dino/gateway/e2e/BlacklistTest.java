package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static io.dino.gateway.TestNode.TIMEOUT;
import static io.dino.gateway.e2e.ChatUser.in;
import static io.dino.gateway.e2e.ChatUser.operator;
import static io.dino.gateway.e2e.ChatUser.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Blacklisted words through real sockets (memory engine): words managed through gRPC, a non-operator's matching
 * send shadow-blocked (accepted and echoed to its session only, stored nowhere) and reported in the admin room.
 */
class BlacklistTest {

    @RegisterExtension
    static final OneNode single = OneNode.withDefaults();

    private static JsonNode message(ChatUser user, String id) throws Exception {
        return user.events().await(e -> e.path("event").asText().equals("message") && e.path("msg").path("id").asText().equals(id),
                TIMEOUT).get("msg");
    }

    private static JsonNode messageWithText(ChatUser user, String text) throws Exception {
        return user.events().await(e -> e.path("msg").path("body").path("text").asText().equals(text), TIMEOUT).get("msg");
    }

    /** The admin room's post about the message, as an operator in it receives it. */
    private static JsonNode report(ChatUser operator, String type, String messageId) throws Exception {
        return operator.events().await(e -> e.path("event").asText().equals("message")
                && e.path("msg").path("room").asText().equals("admin")
                && e.path("msg").path("body").path("type").asText().equals(type)
                && (messageId == null || e.path("msg").path("body").path("messageId").asText().equals(messageId)), TIMEOUT).get("msg");
    }

    private static List<String> historyIds(ChatUser viewer, String room) {
        return StreamSupport.stream(viewer.client().history(room, 100).join().get("messages").spliterator(), false)
                .map(m -> m.get("id").asText()).toList();
    }

    @Test
    void aNonOperatorsMatchingSendIsShownOnlyToItsSessionStoredNowhereAndReported() throws Exception {
        assertThat(single.backend().addBlacklistWords(List.of("Zorglub", "wumpus-HUNT"))).containsExactly("wumpus hunt", "zorglub");
        assertThat(single.backend().blacklistWords()).contains("wumpus hunt", "zorglub");
        ChatUser op = in("admin", operator(single.node(), "bl-op"));
        ChatUser eve = in("bl-room", user(single.node(), "bl-eve"));
        ChatUser bob = in("bl-room", user(single.node(), "bl-bob"));
        ChatUser eveElsewhere = in("bl-room", user(single.node(), "bl-eve"));
        JsonNode before = eve.client().send("bl-room", Map.of("text", "first")).join();
        messageWithText(bob, "first");

        JsonNode reply = eve.client().send("bl-room", Map.of("text", "you ZORGLUB!")).join();
        String id = reply.get("id").asText();
        // accepted as a normal send is; the offset is the room's last stored one (nothing was stored)
        assertThat(reply.get("epoch").asText()).isEqualTo(before.get("epoch").asText());
        assertThat(reply.get("offset").asLong()).isEqualTo(before.get("offset").asLong());
        JsonNode echo = message(eve, id);
        // the echo has no position: it is in no log
        assertThat(echo.toString()).isEqualTo("{\"id\":\"" + id + "\",\"room\":\"bl-room\",\"from\":\"bl-eve\",\"ts\":"
                + reply.get("ts").asLong() + ",\"body\":{\"text\":\"you ZORGLUB!\"}}");

        JsonNode posted = report(op, "blacklisted", id);
        assertThat(posted.get("from").asText()).isEqualTo("system");
        assertThat(posted.get("body").toString()).isEqualTo("{\"type\":\"blacklisted\",\"by\":\"bl-eve\",\"room\":\"bl-room\","
                + "\"kind\":\"send\",\"messageId\":\"" + id + "\",\"words\":[\"zorglub\"],\"body\":{\"text\":\"you ZORGLUB!\"}}");

        // a phrase: blocked only as the whole phrase
        String phrase = eve.client().send("bl-room", Map.of("text", "a Wumpus hunt!")).join().get("id").asText();
        message(eve, phrase);
        report(op, "blacklisted", phrase);
        eve.client().send("bl-room", Map.of("text", "a wumpus alone")).join();

        // the marker: a normal message after them; nobody else got the blocked ones before it
        String marker = eve.client().send("bl-room", Map.of("text", "marker")).join().get("id").asText();
        message(bob, marker);
        message(eveElsewhere, marker);
        assertThat(bob.events().events("message").stream().map(e -> e.get("msg").get("body").get("text").asText()))
                .containsExactly("first", "a wumpus alone", "marker");
        assertThat(eveElsewhere.events().events("message").stream().map(e -> e.get("msg").get("body").get("text").asText()))
                .containsExactly("first", "a wumpus alone", "marker");
        assertThat(historyIds(bob, "bl-room")).doesNotContain(id, phrase).contains(marker);

        // an operator's matching send goes through
        ChatUser opInRoom = in("bl-room", operator(single.node(), "bl-op2"));
        String fromOp = opInRoom.client().send("bl-room", Map.of("text", "zorglub is fine for me")).join().get("id").asText();
        message(bob, fromOp);
        assertThat(historyIds(bob, "bl-room")).contains(fromOp);

        // removed: messages flow again
        assertThat(single.backend().removeBlacklistWords(List.of("ZORGLUB", "never-listed"))).containsExactly("zorglub");
        String again = eve.client().send("bl-room", Map.of("text", "zorglub again")).join().get("id").asText();
        message(bob, again);
        assertThat(historyIds(bob, "bl-room")).contains(again);
        single.backend().removeBlacklistWords(List.of("wumpus hunt"));
    }

    @Test
    void privateMessagesAndWhispersAreShadowBlockedToo() throws Exception {
        single.backend().addBlacklistWords(List.of("blorptastic"));
        ChatUser op = in("admin", operator(single.node(), "bl-op-pw"));
        ChatUser eve = in("bl-pw", user(single.node(), "bl-pw-eve"));
        ChatUser bob = in("bl-pw", user(single.node(), "bl-pw-bob"));

        JsonNode privateReply = eve.client().sendPrivate("bl-pw-bob", Map.of("text", "so blorptastic")).join();
        JsonNode privatePost = report(op, "blacklisted", privateReply.get("id").asText());
        assertThat(privatePost.get("body").get("to").asText()).isEqualTo("bl-pw-bob");
        assertThat(privatePost.get("body").get("kind").asText()).isEqualTo("private");

        JsonNode whisperReply = eve.client().whisper("bl-pw", List.of("bl-pw-bob"), Map.of("text", "BLORPTASTIC")).join();
        String whisperId = whisperReply.get("id").asText();
        JsonNode echo = eve.events().await(e -> e.path("event").asText().equals("private")
                && e.path("msg").path("id").asText().equals(whisperId), TIMEOUT).get("msg");
        assertThat(echo.get("whisper").asText()).isEqualTo("bl-pw");
        assertThat(report(op, "blacklisted", whisperId).get("body").get("to").toString()).isEqualTo("[\"bl-pw-bob\"]");

        String marker = eve.client().sendPrivate("bl-pw-bob", Map.of("text", "marker")).join().get("id").asText();
        JsonNode got = bob.events().await("private", TIMEOUT);
        assertThat(got.get("msg").get("id").asText()).isEqualTo(marker);
        assertThat(bob.events().events("private")).hasSize(1);
        single.backend().removeBlacklistWords(List.of("blorptastic"));
    }

    @Test
    void invalidEntriesAreRefused() {
        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                () -> single.backend().addBlacklistWords(List.of("ok", "?!")));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refused.getStatus().getDescription()).isEqualTo("'?!' is not a blacklist entry: it must be 1-100 "
                + "characters with 1-10 words (letters and digits)");
        assertThat(single.backend().blacklistWords()).doesNotContain("ok");
    }
}
