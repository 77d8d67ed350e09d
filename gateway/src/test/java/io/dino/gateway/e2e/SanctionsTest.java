package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.client.CloseStatus;
import io.dino.client.DinoClient;
import io.dino.client.DinoException;
import io.dino.client.EventRecorder;
import io.dino.gateway.engine.Directory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.dino.gateway.TestNode.TIMEOUT;
import static io.dino.gateway.e2e.AccessControlTest.refusal;
import static io.dino.gateway.e2e.ChatUser.awaitEvent;
import static io.dino.gateway.e2e.ChatUser.in;
import static io.dino.gateway.e2e.ChatUser.members;
import static io.dino.gateway.e2e.ChatUser.operator;
import static io.dino.gateway.e2e.ChatUser.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/** Bans (room, channel, global) and mutes through real sockets (memory engine): what they refuse, whom they take out, who may. */
class SanctionsTest {

    @RegisterExtension
    static final OneNode single = OneNode.withDefaults();

    @Test
    void aRoomBanTakesTheUserOutRefusesTheirJoinsUntilWhenAndAnUnbanLetsThemBack() throws Exception {
        RoomSetup.staticRoom(single.node(), "sb-hall", "Ban hall");
        RoomSetup.grantRoomRole(single.node(), "sb-hall", "sb-owner", "owner");
        ChatUser owner = in("sb-hall", user(single.node(), "sb-owner"));
        ChatUser member = in("sb-hall", user(single.node(), "sb-member"));
        ChatUser other = in("sb-hall", user(single.node(), "sb-other"));

        long before = System.currentTimeMillis();
        JsonNode reply = owner.client().ban("sb-member", "room", "sb-hall", "10m", "spamming").join();
        long until = reply.get("until").asLong();
        assertThat(until).isBetween(before + 600_000, System.currentTimeMillis() + 600_000);
        assertThat(reply.toString()).isEqualTo("{\"user\":\"sb-member\",\"scope\":\"room\",\"target\":\"sb-hall\",\"until\":"
                + until + ",\"sessions\":1}");
        String banned = "{\"event\":\"banned\",\"room\":\"sb-hall\",\"user\":\"sb-member\",\"by\":\"sb-owner\",\"reason\":\"spamming\","
                + "\"until\":" + until + ",\"scope\":\"room\"}";
        assertThat(awaitEvent(member, "banned", "sb-member").toString()).isEqualTo(banned);
        assertThat(awaitEvent(other, "banned", "sb-member").toString()).isEqualTo(banned);
        await().atMost(TIMEOUT).until(() -> !members(owner, "sb-hall").contains("sb-member"));
        assertThat(refusal(member.client().send("sb-hall", "still here?")).name()).isEqualTo("NOT_IN_ROOM");

        DinoException refused = refusal(member.client().join("sb-hall"));
        assertThat(refused.code()).isEqualTo(4038);
        assertThat(refused.name()).isEqualTo("BANNED");
        assertThat(refused.getMessage()).isEqualTo("banned from room 'sb-hall' until " + Instant.ofEpochMilli(until));
        assertThat(refused.details()).isEqualTo(Map.of("until", until, "reason", "spamming"));
        // every session of the user: a new one is refused too
        assertThat(refusal(user(single.node(), "sb-member").client().join("sb-hall")).name()).isEqualTo("BANNED");

        JsonNode bans = owner.client().bans("room", "sb-hall").join();
        assertThat(bans.get("bans")).hasSize(1);
        JsonNode ban = bans.get("bans").get(0);
        assertThat(ban.get("user").asText()).isEqualTo("sb-member");
        assertThat(ban.get("by").asText()).isEqualTo("sb-owner");
        assertThat(ban.get("reason").asText()).isEqualTo("spamming");
        assertThat(ban.get("until").asLong()).isEqualTo(until);
        assertThat(ban.get("at").asLong()).isBetween(before, System.currentTimeMillis());

        assertThat(owner.client().unban("sb-member", "room", "sb-hall").join().toString())
                .isEqualTo("{\"user\":\"sb-member\",\"scope\":\"room\",\"target\":\"sb-hall\",\"removed\":true}");
        assertThat(awaitEvent(member, "unbanned", "sb-member").toString())
                .isEqualTo("{\"event\":\"unbanned\",\"user\":\"sb-member\",\"scope\":\"room\",\"target\":\"sb-hall\"}");
        member.client().join("sb-hall").join();
        assertThat(members(owner, "sb-hall")).contains("sb-member");
        assertThat(owner.client().unban("sb-member", "room", "sb-hall").join().get("removed").asBoolean()).isFalse();
        assertThat(other.events().events("unbanned")).as("only the user's own sessions hear of an unban").isEmpty();
    }

    @Test
    void aPermanentBanSaysSoAndAnOpenRoomsBanWorksLikeARegisteredOnes() throws Exception {
        ChatUser op = operator(single.node(), "sb-perm-op");
        ChatUser target = in("sb-open-room", user(single.node(), "sb-perm"));
        JsonNode reply = op.client().ban("sb-perm", "room", "sb-open-room", null, null).join();
        assertThat(reply.get("until").asLong()).isZero();
        assertThat(reply.get("sessions").asInt()).isEqualTo(1);
        awaitEvent(target, "banned", "sb-perm");
        DinoException refused = refusal(target.client().join("sb-open-room"));
        assertThat(refused.getMessage()).isEqualTo("banned from room 'sb-open-room' permanently");
        assertThat(refused.details()).isEqualTo(Map.of("until", 0L));
        assertThat(op.client().ban("sb-perm", "room", "sb-open-room", "permanent", "").join().get("until").asLong()).isZero();
    }

    @Test
    void aChannelBanTakesTheUserOutOfEveryRoomOfTheChannelOnlyAndRefusesItsOtherRooms() throws Exception {
        single.backend().createChannel("sb-chan", "", 0, List.of(), Map.of());
        for (String room : List.of("sb-c1", "sb-c2", "sb-c3")) {
            RoomSetup.room(single.node(), room, "sb-chan", room, Directory.RoomKind.STATIC, 0, Set.of(), true);
        }
        RoomSetup.staticRoom(single.node(), "sb-outside", "Outside");
        RoomSetup.grantChannelRole(single.node(), "sb-chan", "sb-chan-admin", "admin");
        RoomSetup.grantRoomRole(single.node(), "sb-c1", "sb-c1-mod", "moderator");
        ChatUser admin = in("sb-c3", in("sb-c1", user(single.node(), "sb-chan-admin")));
        ChatUser roomMod = in("sb-c1", user(single.node(), "sb-c1-mod"));
        ChatUser target = in("sb-outside", in("sb-c2", in("sb-c1", user(single.node(), "sb-chan-target"))));
        // the node holds sb-c3: its cached snapshot must go
        ChatUser watcher = in("sb-c3", user(single.node(), "sb-chan-watcher"));

        DinoException notAdmin = refusal(roomMod.client().ban("sb-chan-target", "channel", "sb-chan", "1h", null));
        assertThat(notAdmin.name()).isEqualTo("NOT_ALLOWED");
        assertThat(notAdmin.getMessage()).isEqualTo("not allowed to ban in channel 'sb-chan': needs to be an owner or admin of the channel");

        JsonNode reply = admin.client().ban("sb-chan-target", "channel", "sb-chan", "1h", "everywhere here").join();
        assertThat(reply.get("scope").asText()).isEqualTo("channel");
        assertThat(reply.get("target").asText()).isEqualTo("sb-chan");
        assertThat(reply.get("sessions").asInt()).as("out of sb-c1 and sb-c2").isEqualTo(2);
        List<JsonNode> events = target.events().awaitCount(event -> event.path("event").asText().equals("banned"), 2, TIMEOUT);
        assertThat(events).extracting(event -> event.get("room").asText()).containsExactlyInAnyOrder("sb-c1", "sb-c2");
        assertThat(events).allSatisfy(event -> assertThat(event.get("scope").asText()).isEqualTo("channel"));
        await().atMost(TIMEOUT).until(() -> target.client().rooms().join().get("rooms").toString().equals("[\"sb-outside\"]"));

        DinoException refused = refusal(target.client().join("sb-c3"));
        assertThat(refused.name()).isEqualTo("BANNED");
        assertThat(refused.getMessage()).startsWith("banned from channel 'sb-chan' until ");
        assertThat(refused.details()).containsEntry("reason", "everywhere here");
        assertThat(watcher.events().events("banned")).as("sb-c3's room: the user was not in it").isEmpty();

        assertThat(admin.client().bans("channel", "sb-chan").join().get("bans").get(0).get("user").asText()).isEqualTo("sb-chan-target");
        assertThat(admin.client().unban("sb-chan-target", "channel", "sb-chan").join().get("removed").asBoolean()).isTrue();
        target.client().join("sb-c3").join();
        assertThat(refusal(admin.client().ban("x", "channel", "sb-no-such-channel", null, null)).name()).isEqualTo("NO_SUCH_CHANNEL");
    }

    @Test
    void aGlobalBanDisconnectsEverySessionRefusesConnectsAndIsForOperatorsOnly() throws Exception {
        RoomSetup.staticRoom(single.node(), "sb-global", "Global");
        RoomSetup.grantRoomRole(single.node(), "sb-global", "sb-global-owner", "owner");
        ChatUser owner = in("sb-global", user(single.node(), "sb-global-owner"));
        ChatUser tab1 = in("sb-global", user(single.node(), "sb-outlaw"));
        ChatUser tab2 = user(single.node(), "sb-outlaw");
        ChatUser op = operator(single.node(), "sb-global-op");

        DinoException notOp = refusal(owner.client().ban("sb-outlaw", "global", null, "1d", null));
        assertThat(notOp.name()).isEqualTo("NOT_ALLOWED");
        assertThat(notOp.getMessage()).isEqualTo("not allowed to ban globally: needs to be an operator");

        JsonNode reply = op.client().ban("sb-outlaw", "global", null, "1d", "abuse").join();
        long until = reply.get("until").asLong();
        assertThat(reply.get("sessions").asInt()).isEqualTo(2);
        assertThat(reply.get("scope").asText()).isEqualTo("global");
        assertThat(reply.get("target").asText()).isEmpty();
        for (ChatUser tab : List.of(tab1, tab2)) {
            JsonNode disconnect = tab.events().await("disconnect", TIMEOUT);
            assertThat(disconnect.toString()).isEqualTo("{\"event\":\"disconnect\",\"code\":4038,\"name\":\"BANNED\",\"reason\":"
                    + "\"banned until " + Instant.ofEpochMilli(until) + ": abuse\",\"reconnect\":false,\"until\":" + until + "}");
            CloseStatus status = tab.client().closeFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(status.code()).isEqualTo(4038);
        }
        await().atMost(TIMEOUT).until(() -> !members(owner, "sb-global").contains("sb-outlaw"));

        // a connect is refused like an invalid token's: the error, then the socket closes with the error's code
        DinoClient raw = single.node().rawClient(new EventRecorder());
        raw.sendRaw("{\"id\":1,\"cmd\":\"connect\",\"token\":\"" + single.node().token("sb-outlaw") + "\"}").join();
        JsonNode refused = raw.awaitUnmatchedReply(TIMEOUT);
        assertThat(refused.get("error").toString()).isEqualTo("{\"code\":4038,\"name\":\"BANNED\",\"message\":\"banned until "
                + Instant.ofEpochMilli(until) + "\",\"until\":" + until + ",\"reason\":\"abuse\"}");
        assertThat(raw.closeFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).code()).isEqualTo(4038);

        assertThat(op.client().bans("global", null).join().get("bans").get(0).get("user").asText()).isEqualTo("sb-outlaw");
        assertThat(op.client().bans("user", "sb-outlaw").join().get("bans").get(0).get("scope").asText()).isEqualTo("global");
        assertThat(refusal(owner.client().bans("user", "sb-outlaw")).name()).isEqualTo("NOT_ALLOWED");
        assertThat(refusal(owner.client().bans("global", null)).name()).isEqualTo("NOT_ALLOWED");

        assertThat(op.client().unban("sb-outlaw", "global", null).join().get("removed").asBoolean()).isTrue();
        in("sb-global", user(single.node(), "sb-outlaw"));
    }

    @Test
    void aRemovedRoomOrChannelTakesItsBansAndMutesAlongSoOneMadeAgainWithTheIdStartsClean() throws Exception {
        RoomSetup.staticRoom(single.node(), "sb-gone", "Gone");
        single.backend().banUser("sb-gone-banned", "room", "sb-gone", "1h", "old quarrel", "");
        single.backend().muteUser("sb-gone", "sb-gone-muted", "1h", "old noise", "");
        single.backend().createChannel("sb-gone-chan", "", 0, List.of(), Map.of());
        single.backend().banUser("sb-gone-banned", "channel", "sb-gone-chan", "1h", "old quarrel", "");

        single.backend().removeRoom("sb-gone");
        single.backend().removeChannel("sb-gone-chan");
        RoomSetup.staticRoom(single.node(), "sb-gone", "Made again");
        single.backend().createChannel("sb-gone-chan", "", 0, List.of(), Map.of());
        RoomSetup.room(single.node(), "sb-gone-c1", "sb-gone-chan", "In the new channel", Directory.RoomKind.STATIC, 0, Set.of(),
                true);

        assertThat(single.backend().bans("room", "sb-gone")).isEmpty();
        assertThat(single.backend().bans("channel", "sb-gone-chan")).isEmpty();
        assertThat(single.backend().mutes("sb-gone")).isEmpty();
        ChatUser once = in("sb-gone-c1", in("sb-gone", user(single.node(), "sb-gone-banned")));
        ChatUser muted = in("sb-gone", user(single.node(), "sb-gone-muted"));
        muted.client().send("sb-gone", "heard now").join();
        assertThat(members(once, "sb-gone")).contains("sb-gone-banned", "sb-gone-muted");
    }

    @Test
    void bansAndMutesRunOutOnTheirOwn() throws Exception {
        ChatUser op = operator(single.node(), "sb-expiry-op");
        ChatUser target = in("sb-expiry", user(single.node(), "sb-expiring"));
        op.client().ban("sb-expiring", "room", "sb-expiry", "2s", null).join();
        awaitEvent(target, "banned", "sb-expiring");
        assertThat(refusal(target.client().join("sb-expiry")).name()).isEqualTo("BANNED");
        await().atMost(TIMEOUT).pollInterval(java.time.Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> target.client().join("sb-expiry").join() != null);
        assertThat(op.client().bans("room", "sb-expiry").join().get("bans")).isEmpty();

        op.client().mute("sb-expiry", "sb-expiring", "2s", null).join();
        DinoException muted = refusal(target.client().send("sb-expiry", "hello?"));
        assertThat(muted.name()).isEqualTo("MUTED");
        assertThat(muted.longDetail("retryAfterMs").orElseThrow()).isBetween(1L, 2_000L);
        await().atMost(TIMEOUT).pollInterval(java.time.Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> target.client().send("sb-expiry", "back").join() != null);
        assertThat(op.client().mutes("sb-expiry").join().get("mutes")).isEmpty();
    }

    @Test
    void aMutedUserStaysButCannotSendWhisperOrSendViaAnotherRoomWhileOthersCan() throws Exception {
        RoomSetup.staticRoom(single.node(), "sm-hall", "Mute hall");
        RoomSetup.staticRoom(single.node(), "sm-side", "Mute side");
        RoomSetup.grantRoomRole(single.node(), "sm-hall", "sm-mod", "moderator");
        ChatUser moderator = in("sm-hall", user(single.node(), "sm-mod"));
        ChatUser muted = in("sm-side", in("sm-hall", user(single.node(), "sm-muted")));
        ChatUser other = in("sm-hall", user(single.node(), "sm-other"));

        long before = System.currentTimeMillis();
        JsonNode reply = moderator.client().mute("sm-hall", "sm-muted", "10m", "calm down").join();
        long until = reply.get("until").asLong();
        assertThat(until).isCloseTo(before + 600_000, within(5_000L));
        assertThat(reply.toString()).isEqualTo("{\"room\":\"sm-hall\",\"user\":\"sm-muted\",\"until\":" + until + "}");
        String event = "{\"event\":\"muted\",\"room\":\"sm-hall\",\"user\":\"sm-muted\",\"by\":\"sm-mod\",\"reason\":\"calm down\","
                + "\"until\":" + until + "}";
        assertThat(awaitEvent(other, "muted", "sm-muted").toString()).isEqualTo(event);
        assertThat(awaitEvent(muted, "muted", "sm-muted").toString()).isEqualTo(event);
        assertThat(members(other, "sm-hall")).contains("sm-muted");

        DinoException refused = refusal(muted.client().send("sm-hall", "let me speak"));
        assertThat(refused.code()).isEqualTo(4039);
        assertThat(refused.name()).isEqualTo("MUTED");
        assertThat(refused.getMessage()).isEqualTo("muted in room 'sm-hall' until " + Instant.ofEpochMilli(until));
        assertThat(refused.longDetail("until").orElseThrow()).isEqualTo(until);
        assertThat(refused.longDetail("retryAfterMs").orElseThrow()).isBetween(590_000L, 600_000L);
        assertThat(refusal(muted.client().sendVia("sm-hall", "sm-side", "from the side")).name()).isEqualTo("MUTED");
        assertThat(refusal(muted.client().whisper("sm-hall", List.of("sm-other"), "psst")).name()).isEqualTo("MUTED");
        muted.client().send("sm-side", "elsewhere is fine").join();
        other.client().send("sm-hall", "others may").join();

        JsonNode mutes = moderator.client().mutes("sm-hall").join().get("mutes");
        assertThat(mutes).hasSize(1);
        assertThat(mutes.get(0).get("user").asText()).isEqualTo("sm-muted");
        assertThat(mutes.get(0).get("reason").asText()).isEqualTo("calm down");

        assertThat(moderator.client().unmute("sm-hall", "sm-muted").join().toString())
                .isEqualTo("{\"room\":\"sm-hall\",\"user\":\"sm-muted\",\"removed\":true}");
        assertThat(awaitEvent(other, "unmuted", "sm-muted").toString())
                .isEqualTo("{\"event\":\"unmuted\",\"room\":\"sm-hall\",\"user\":\"sm-muted\",\"by\":\"sm-mod\"}");
        muted.client().send("sm-hall", "thanks").join();

        moderator.client().mute("sm-hall", "sm-muted", null, null).join();
        DinoException forever = refusal(muted.client().send("sm-hall", "again"));
        assertThat(forever.getMessage()).isEqualTo("muted in room 'sm-hall' permanently");
        assertThat(forever.details()).as("no retryAfterMs for a permanent mute").isEqualTo(Map.of("until", 0L));
    }

    @Test
    void whoMayIsTheKickRuleAndOperatorsAreSparedFromOthers() throws Exception {
        RoomSetup.staticRoom(single.node(), "sw-room", "Who may");
        RoomSetup.grantRoomRole(single.node(), "sw-room", "sw-owner", "owner");
        ChatUser owner = in("sw-room", user(single.node(), "sw-owner"));
        ChatUser stranger = in("sw-room", user(single.node(), "sw-stranger"));
        ChatUser op = in("sw-room", operator(single.node(), "sw-op"));
        String needs = "needs to be an owner or moderator of the room or an owner or admin of its channel";

        assertThat(refusal(stranger.client().ban("sw-owner", "room", "sw-room", null, null)).getMessage())
                .isEqualTo("not allowed to ban in room 'sw-room': " + needs);
        assertThat(refusal(stranger.client().mute("sw-room", "sw-owner", null, null)).getMessage())
                .isEqualTo("not allowed to mute in room 'sw-room': " + needs);
        assertThat(refusal(stranger.client().bans("room", "sw-room")).getMessage())
                .isEqualTo("not allowed to list the bans in room 'sw-room': " + needs);
        assertThat(refusal(stranger.client().mutes("sw-room")).name()).isEqualTo("NOT_ALLOWED");
        assertThat(refusal(stranger.client().unban("sw-owner", "room", "sw-room")).name()).isEqualTo("NOT_ALLOWED");

        DinoException banOp = refusal(owner.client().ban("sw-op", "room", "sw-room", null, null));
        assertThat(banOp.getMessage()).isEqualTo("not allowed to ban 'sw-op': an operator, whom only operators may ban");
        assertThat(refusal(owner.client().mute("sw-room", "sw-op", null, null)).getMessage())
                .isEqualTo("not allowed to mute 'sw-op': an operator, whom only operators may mute");
        assertThat(members(owner, "sw-room")).contains("sw-op");
        ChatUser otherOp = operator(single.node(), "sw-op2");
        assertThat(otherOp.client().ban("sw-op", "room", "sw-room", "1m", null).join().get("sessions").asInt()).isEqualTo(1);

        DinoException badDuration = refusal(owner.client().ban("sw-stranger", "room", "sw-room", "5 minutes", null));
        assertThat(badDuration.name()).isEqualTo("INVALID_VALUE");
        assertThat(badDuration.getMessage()).isEqualTo("duration must be a positive whole number followed by s, m, h or d "
                + "(30s, 10m, 2h, 7d), or permanent (got '5 minutes')");
        for (String bad : List.of("0s", "-1m", "1w", "1.5h", "10")) {
            assertThat(refusal(owner.client().mute("sw-room", "sw-stranger", bad, null)).name()).as(bad).isEqualTo("INVALID_VALUE");
        }
        assertThat(refusal(owner.client().ban("sw-stranger", "room", "sw-room", null, "x".repeat(201))).name()).isEqualTo("INVALID_VALUE");
        stranger.client().sendRaw("{\"id\":\"ns\",\"cmd\":\"ban\",\"user\":\"sw-owner\"}").join();
        assertThat(stranger.client().awaitUnmatchedReply(TIMEOUT).at("/error/name").asText()).isEqualTo("MISSING_FIELD");
        stranger.client().sendRaw("{\"id\":\"two\",\"cmd\":\"ban\",\"user\":\"sw-owner\",\"room\":\"sw-room\",\"global\":true}").join();
        assertThat(stranger.client().awaitUnmatchedReply(TIMEOUT).at("/error/name").asText()).isEqualTo("INVALID_VALUE");
    }
}
