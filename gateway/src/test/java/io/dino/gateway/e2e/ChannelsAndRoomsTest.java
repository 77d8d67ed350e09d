package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dino.api.v1.SetRoomAclRequest;
import io.dino.client.DinoClient;
import io.dino.client.DinoException;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import io.dino.gateway.engine.Directory.RoomKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.dino.gateway.TestNode.TIMEOUT;
import static io.dino.gateway.e2e.AccessControlTest.refusal;
import static org.assertj.core.api.Assertions.assertThat;

/** Room kinds, the join's access decision and its reply, through real sockets on a memory-engine node. */
class ChannelsAndRoomsTest {

    private static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start();
        RoomSetup.channel(node, "games", Map.of());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static DinoClient user(String name) {
        return node.client(name, new EventRecorder());
    }

    private static void assertRefused(CompletableFuture<JsonNode> reply, String name, String message) {
        DinoException error = refusal(reply);
        assertThat(error.name()).isEqualTo(name);
        assertThat(error.getMessage()).isEqualTo(message);
    }

    private static List<String> texts(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static ObjectNode fields() {
        return JsonNodeFactory.instance.objectNode();
    }

    @Test
    void aPrivateRoomAdmitsItsMembersAndOperatorsOnly() {
        RoomSetup.room(node, "dm-ann-bob", "default", "ann and bob", RoomKind.PRIVATE, 0, Set.of("pam", "pete"), true);

        assertRefused(user("eve").join("dm-ann-bob"), "NOT_ALLOWED",
                "not allowed to join room 'dm-ann-bob': needs membership of the private room");
        assertRefused(user("eve2").history("dm-ann-bob", 10), "NOT_ALLOWED",
                "not allowed to read the history of room 'dm-ann-bob': needs membership of the private room");
        JsonNode joined = user("pam").join("dm-ann-bob").join();
        assertThat(joined.get("kind").asText()).isEqualTo("private");
        assertThat(joined.get("name").asText()).isEqualTo("ann and bob");
        node.operatorClient("ops-private", new EventRecorder()).join("dm-ann-bob").join();
    }

    @Test
    void aFullRoomRefusesNewUsersButNotOperatorsOrAnotherSessionOfAMember() {
        RoomSetup.room(node, "small", "default", "Small", RoomKind.STATIC, 2, Set.of(), true);
        user("s1").join("small").join();
        user("s2").join("small").join();

        assertRefused(user("s3").join("small"), "ROOM_FULL", "room 'small' is full (2 users)");
        assertThat(user("s1").join("small").join().get("members").size()).as("s1's second session").isEqualTo(2);
        assertThat(texts(node.operatorClient("ops-full", new EventRecorder()).join("small").join().get("members")))
                .containsExactly("ops-full", "s1", "s2");
    }

    @Test
    void aRoomIsJoinedByNameInItsChannel() {
        RoomSetup.room(node, "r-chess", "games", "Chess", RoomKind.STATIC, 0, Set.of(), true);
        DinoClient player = user("player");

        JsonNode joined = player.request("join", fields().put("channel", "games").put("name", "chess")).join();

        assertThat(joined.get("room").asText()).isEqualTo("r-chess");
        assertThat(joined.get("channel").asText()).isEqualTo("games");
        assertThat(joined.get("name").asText()).isEqualTo("Chess");
        assertThat(joined.get("kind").asText()).isEqualTo("static");
        assertRefused(player.request("join", fields().put("channel", "games").put("name", "Go")), "NO_SUCH_ROOM",
                "no such room 'Go' in channel 'games'");
        assertRefused(player.request("join", fields().put("channel", "nowhere").put("name", "Chess")), "NO_SUCH_CHANNEL",
                "no such channel 'nowhere'");
        assertRefused(player.request("join", fields().put("name", "Chess")), "NO_SUCH_ROOM",
                "no such room 'Chess' in channel 'default'");
        assertRefused(player.request("join", fields().put("room", "r-chess").put("name", "Chess")), "INVALID_VALUE",
                "give either room or name, not both");
    }

    @Test
    void theJoinReplyTellsKindChannelOwnersAndRights() {
        JsonNode open = user("opener").join("some-open-room").join();
        assertThat(open.get("kind").asText()).isEqualTo("open");
        assertThat(open.get("channel").asText()).isEqualTo("default");
        assertThat(open.has("name")).isFalse();
        assertThat(texts(open.get("owners"))).isEmpty();
        assertThat(texts(open.get("rights"))).containsExactly("history", "members", "message");

        RoomSetup.staticRoom(node, "owned", "Owned");
        RoomSetup.grantRoomRole(node, "owned", "zoe", "owner");
        RoomSetup.grantRoomRole(node, "owned", "adam", "owner");
        JsonNode asOwner = user("zoe").join("owned").join();
        assertThat(texts(asOwner.get("owners"))).containsExactly("adam", "zoe");
        assertThat(texts(asOwner.get("rights"))).containsExactly("history", "members", "message", "remove", "rename", "setacl");
        assertThat(texts(user("guest").join("owned").join().get("rights"))).containsExactly("history", "members", "message");
    }

    @Test
    void aStoredRoleMakesARoleTermPass() {
        RoomSetup.staticRoom(node, "vault", "Vault");
        node.backend().setRoomAcl(SetRoomAclRequest.newBuilder().setRoom("vault").putRules("join", "role=owner").build());
        assertRefused(user("keyholder").join("vault"), "NOT_ALLOWED", "not allowed to join room 'vault': needs role=owner");

        RoomSetup.grantRoomRole(node, "vault", "keyholder", "owner");

        assertThat(user("keyholder").join("vault").join().get("room").asText()).isEqualTo("vault");
    }

    @Test
    void aChannelsMessageRuleGuardsSendsToItsRooms() {
        RoomSetup.channel(node, "news", Map.of("message", "role=editor"));
        RoomSetup.room(node, "r-daily", "news", "Daily", RoomKind.STATIC, 0, Set.of(), true);
        DinoClient reader = user("reader");
        assertThat(texts(reader.join("r-daily").join().get("rights"))).containsExactly("history", "members");
        assertRefused(reader.send("r-daily", "\"hi\""), "NOT_ALLOWED", "not allowed to send to room 'r-daily': needs role=editor");
        DinoClient editor = node.client("ed", Set.of("editor"), Map.of(), new EventRecorder());
        editor.join("r-daily").join();
        editor.send("r-daily", "\"news\"").join();
    }

    @Test
    void aRoomWithoutMembershipEventsAnnouncesNoJoinsOrLeaves() throws Exception {
        RoomSetup.room(node, "quiet", "default", "Quiet", RoomKind.STATIC, 0, Set.of(), false);
        EventRecorder watcher = new EventRecorder();
        DinoClient ann = node.client("quiet-ann", watcher);
        ann.join("quiet").join();
        ann.join("loud").join();
        DinoClient bob = user("quiet-bob");

        assertThat(texts(bob.join("quiet").join().get("members"))).containsExactly("quiet-ann", "quiet-bob");
        bob.join("loud").join();
        watcher.await(e -> "joined".equals(e.path("event").asText()) && "loud".equals(e.path("room").asText()), TIMEOUT);
        bob.leave("quiet").join();
        bob.leave("loud").join();
        watcher.await(e -> "left".equals(e.path("event").asText()) && "loud".equals(e.path("room").asText()), TIMEOUT);

        assertThat(watcher.events()).noneMatch(e -> "quiet".equals(e.path("room").asText()));
        assertThat(texts(ann.members("quiet").join().get("members"))).containsExactly("quiet-ann");
    }
}
