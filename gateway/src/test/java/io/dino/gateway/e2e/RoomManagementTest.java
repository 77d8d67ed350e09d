package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.api.v1.RoleScope;
import io.dino.api.v1.RoomKind;
import io.dino.client.DinoClient;
import io.dino.client.DinoException;
import io.dino.client.EventRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.dino.gateway.TestNode.TIMEOUT;
import static io.dino.gateway.e2e.AccessControlTest.refusal;
import static org.assertj.core.api.Assertions.assertThat;

/** The session commands channels, browse, create, rename and remove through real sockets (memory engine). */
class RoomManagementTest {

    @RegisterExtension
    static final OneNode single = OneNode.withSettings(Map.of("dino.rooms.max-ephemeral-per-user", "2"));

    private static DinoClient user(String name) {
        return single.node().client(name, new EventRecorder());
    }

    private static void assertRefused(CompletableFuture<JsonNode> reply, String name, String message) {
        DinoException error = refusal(reply);
        assertThat(error.name()).isEqualTo(name);
        assertThat(error.getMessage()).isEqualTo(message);
    }

    private static List<String> texts(JsonNode array, String field) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(n -> n.path(field).asText()).toList();
    }

    @Test
    void channelsListsThoseWhoseListRulePassesByOrderWithTheDefaultOne() {
        single.backend().createChannel("ch-staff", "Staff", -5, List.of("internal"), Map.of("list", "role=staff"));
        single.backend().createChannel("ch-games", "Games", 10, List.of("fun", "chess"), Map.of());
        JsonNode seen = user("ch-plain").channels().join().get("channels");
        assertThat(texts(seen, "id")).containsSubsequence("default", "ch-games").doesNotContain("ch-staff");
        JsonNode games = seen.get(texts(seen, "id").indexOf("ch-games"));
        assertThat(games.get("name").asText()).isEqualTo("Games");
        assertThat(games.get("sortOrder").asInt()).isEqualTo(10);
        assertThat(games.get("tags").toString()).isEqualTo("[\"chess\",\"fun\"]");

        DinoClient staff = single.node().client("ch-staffer", Set.of("staff"), Map.of(), new EventRecorder());
        assertThat(texts(staff.channels().join().get("channels"), "id")).containsSubsequence("ch-staff", "default", "ch-games");
        assertThat(texts(single.node().operatorClient("ch-op", new EventRecorder()).channels().join().get("channels"), "id"))
                .contains("ch-staff");
    }

    @Test
    void createMakesTheCreatorOwnerAndBrowseShowsRoomsByNameWithVisibleUserCounts() {
        single.backend().createChannel("br-chan", "", 0, List.of(), Map.of());
        DinoClient ann = user("br-ann");
        JsonNode created = ann.createRoom(ann.newFields().put("kind", "ephemeral").put("name", "  Zebra talk ")
                .put("channel", "br-chan").put("topic", "stripes")).join();
        assertThat(created.get("room").asText()).startsWith("r-");
        assertThat(created.get("name").asText()).isEqualTo("Zebra talk");
        assertThat(created.get("channel").asText()).isEqualTo("br-chan");
        assertThat(created.get("kind").asText()).isEqualTo("ephemeral");
        assertThat(created.get("owners").toString()).isEqualTo("[\"br-ann\"]");
        String zebra = created.get("room").asText();
        String apple = ann.createRoom(ann.newFields().put("kind", "private").put("name", "apple")
                .put("channel", "br-chan").set("members", ann.newFields().arrayNode().add("br-ben"))).join().get("room").asText();
        single.backend().createRoom(io.dino.api.v1.CreateRoomRequest.newBuilder().setId("br-hidden").setChannel("br-chan")
                .setName("Mango").setKind(RoomKind.ROOM_KIND_STATIC).build());
        single.backend().stub().setRoomAcl(io.dino.api.v1.SetRoomAclRequest.newBuilder().setRoom("br-hidden").putRules("list", "role=vip")
                .build());

        ann.join(zebra).join();
        DinoClient ghost = single.node().operatorClient("br-ghost", new EventRecorder());
        ghost.setStatus("invisible").join();
        ghost.join(zebra).join();

        JsonNode forAnn = ann.browse("br-chan").join();
        assertThat(texts(forAnn.get("rooms"), "id")).containsExactly(apple, zebra);
        JsonNode zebraListed = forAnn.get("rooms").get(1);
        assertThat(zebraListed.get("name").asText()).isEqualTo("Zebra talk");
        assertThat(zebraListed.get("kind").asText()).isEqualTo("ephemeral");
        assertThat(zebraListed.get("topic").asText()).isEqualTo("stripes");
        assertThat(zebraListed.get("users").asInt()).as("the invisible operator is not counted").isEqualTo(1);

        assertThat(texts(user("br-ben").browse("br-chan").join().get("rooms"), "id")).containsExactly(apple, zebra);
        assertThat(texts(user("br-carl").browse("br-chan").join().get("rooms"), "id")).containsExactly(zebra);
        JsonNode forOperator = ghost.browse("br-chan").join().get("rooms");
        assertThat(texts(forOperator, "id")).containsExactly(apple, "br-hidden", zebra);
        assertThat(forOperator.get(2).get("users").asInt()).isEqualTo(2);
        assertRefused(ann.browse("br-nochan"), "NO_SUCH_CHANNEL", "no channel 'br-nochan'");
    }

    @Test
    void namesAreValidatedUniqueIgnoringCaseAndReservedOnesOnlyForOperators() {
        single.backend().createChannel("nm-games", "", 0, List.of(), Map.of());
        DinoClient ann = user("nm-ann");
        ann.createRoom(ann.newFields().put("kind", "ephemeral").put("name", "Chess").put("channel", "nm-games")).join();
        assertRefused(user("nm-ben").createRoom(ann.newFields().put("kind", "private").put("name", "chess").put("channel", "nm-games")),
                "ROOM_EXISTS", "a room named 'chess' exists in channel 'nm-games'");
        assertRefused(ann.createRoom("ephemeral", "   "), "INVALID_VALUE", "room name must be 1-40 characters without control characters");
        assertRefused(ann.createRoom("ephemeral", "x".repeat(41)), "INVALID_VALUE", "room name must be 1-40 characters without control characters");
        assertRefused(ann.createRoom("ephemeral", "tab\there"), "INVALID_VALUE", "room name must be 1-40 characters without control characters");
        assertRefused(ann.createRoom("ephemeral", "Admin"), "NAME_RESERVED", "the name 'Admin' is reserved");
        assertRefused(ann.createRoom("party", "x"), "INVALID_VALUE", "'kind' must be ephemeral, private or static");
        assertRefused(ann.createRoom(ann.newFields().put("kind", "ephemeral").put("name", "x").put("channel", "nm-none")),
                "NO_SUCH_CHANNEL", "no channel 'nm-none'");
        JsonNode reserved = single.node().operatorClient("nm-op", new EventRecorder()).createRoom("static", "admin").join();
        assertThat(reserved.get("name").asText()).isEqualTo("admin");
    }

    @Test
    void staticRoomsNeedAnOperatorOrTheChannelsOwnerOrAdminAndTheCreateRuleGuardsTheOthers() {
        single.backend().createChannel("st-chan", "", 0, List.of(), Map.of("create", "role=member"));
        single.backend().grantRole(RoleScope.ROLE_SCOPE_CHANNEL, "st-chan", "st-admin", "admin");
        assertRefused(user("st-stranger").createRoom(fields("static", "Hall", "st-chan")), "NOT_ALLOWED",
                "not allowed to create a static room in channel 'st-chan': needs to be an owner or admin of the channel");
        assertRefused(user("st-stranger2").createRoom(fields("ephemeral", "Hall", "st-chan")), "NOT_ALLOWED",
                "not allowed to create a room in channel 'st-chan': needs role=member");
        assertThat(single.node().client("st-member", Set.of("member"), Map.of(), new EventRecorder())
                .createRoom(fields("ephemeral", "Nook", "st-chan")).join().get("kind").asText()).isEqualTo("ephemeral");
        assertThat(user("st-admin").createRoom(fields("static", "Hall", "st-chan")).join().get("kind").asText()).isEqualTo("static");
    }

    @Test
    void aUserOwnsAtMostTheConfiguredNumberOfEphemeralRooms() {
        DinoClient ann = user("lim-ann");
        ann.createRoom("ephemeral", "lim one").join();
        ann.createRoom("private", "lim private").join();
        String second = ann.createRoom("ephemeral", "lim two").join().get("room").asText();
        assertRefused(ann.createRoom("ephemeral", "lim three"), "TOO_MANY_OWNED_ROOMS", "a user may own at most 2 ephemeral rooms");
        ann.removeRoom(second).join();
        assertThat(ann.createRoom("ephemeral", "lim three").join().get("name").asText()).isEqualTo("lim three");
    }

    @Test
    void renameAndRemoveAreForOwnersChannelOwnersAndAdminsAndOperators() throws Exception {
        single.backend().createChannel("rr-chan", "", 0, List.of(), Map.of());
        single.backend().grantRole(RoleScope.ROLE_SCOPE_CHANNEL, "rr-chan", "rr-admin", "admin");
        DinoClient owner = user("rr-owner");
        String room = owner.createRoom(fields("ephemeral", "Tea", "rr-chan")).join().get("room").asText();
        EventRecorder watching = new EventRecorder();
        DinoClient watcher = single.node().client("rr-watcher", watching);
        watcher.join(room).join();

        assertRefused(user("rr-stranger").renameRoom(room, "Coffee"), "NOT_ALLOWED", "not allowed to rename room '" + room
                + "': needs to be an owner of the room or an owner or admin of its channel");
        assertRefused(watcher.removeRoom(room), "NOT_ALLOWED", "not allowed to remove room '" + room
                + "': needs to be an owner of the room or an owner or admin of its channel");
        assertThat(owner.renameRoom(room, "Coffee").join().get("name").asText()).isEqualTo("Coffee");
        assertThat(watching.await(e -> e.path("event").asText().equals("renamed") && e.path("name").asText().equals("Coffee"), TIMEOUT)
                .toString()).isEqualTo("{\"event\":\"renamed\",\"room\":\"" + room + "\",\"name\":\"Coffee\"}");
        user("rr-admin").renameRoom(room, "Cocoa").join();
        watching.await(e -> e.path("name").asText().equals("Cocoa"), TIMEOUT);
        single.node().operatorClient("rr-op", new EventRecorder()).renameRoom(room, "Milk").join();
        watching.await(e -> e.path("name").asText().equals("Milk"), TIMEOUT);
        assertRefused(owner.renameRoom("rr-missing", "x"), "NO_SUCH_ROOM", "no room 'rr-missing'");

        user("rr-admin").removeRoom(room).join();
        assertThat(watching.await("removed", TIMEOUT).toString())
                .isEqualTo("{\"event\":\"removed\",\"room\":\"" + room + "\",\"reason\":\"room removed\"}");
        assertThat(watcher.rooms().join().get("rooms")).isEmpty();
        assertThat(single.backend().roleHolders(RoleScope.ROLE_SCOPE_ROOM, room)).as("the room's roles are cleared").isEmpty();
        assertRefused(owner.removeRoom(room), "NO_SUCH_ROOM", "no room '" + room + "'");
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode fields(String kind, String name, String channel) {
        return new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("kind", kind).put("name", name).put("channel", channel);
    }
}
