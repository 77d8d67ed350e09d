package io.dino.gateway.e2e;

import io.dino.api.v1.Ban;
import io.dino.api.v1.BanUserResponse;
import io.dino.api.v1.Mute;
import io.dino.client.DinoException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static io.dino.gateway.TestNode.TIMEOUT;
import static io.dino.gateway.e2e.AccessControlTest.refusal;
import static io.dino.gateway.e2e.ChatUser.awaitEvent;
import static io.dino.gateway.e2e.ChatUser.in;
import static io.dino.gateway.e2e.ChatUser.members;
import static io.dino.gateway.e2e.ChatUser.operator;
import static io.dino.gateway.e2e.ChatUser.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The Moderation service's BanUser, UnbanUser, ListBans, MuteUser, UnmuteUser and ListMutes (memory engine), and the
 * kick's short ban ({@code dino.moderation.kick-ban}, set on this node).
 */
class SanctionsGrpcTest {

    @RegisterExtension
    static final OneNode single = OneNode.withSettings(Map.of("dino.moderation.kick-ban", "PT1M"));

    @Test
    void aMuteSetThroughGrpcRefusesTheNextSendAndAnUnmuteLiftsIt() throws Exception {
        ChatUser muted = in("sg-mute", user(single.node(), "sg-muted"));
        ChatUser other = in("sg-mute", user(single.node(), "sg-other"));
        muted.client().send("sg-mute", "before").join();

        long until = single.backend().muteUser("sg-mute", "sg-muted", "5m", "cool off", "");
        assertThat(until).isCloseTo(System.currentTimeMillis() + 300_000, org.assertj.core.api.Assertions.within(5_000L));
        DinoException refused = refusal(muted.client().send("sg-mute", "after"));
        assertThat(refused.name()).isEqualTo("MUTED");
        assertThat(refused.longDetail("until").orElseThrow()).isEqualTo(until);
        assertThat(awaitEvent(other, "muted", "sg-muted").get("by").asText()).isEqualTo("system");
        other.client().send("sg-mute", "I still can").join();

        List<Mute> mutes = single.backend().mutes("sg-mute");
        assertThat(mutes).hasSize(1);
        assertThat(mutes.getFirst().getUser()).isEqualTo("sg-muted");
        assertThat(mutes.getFirst().getUntilMs()).isEqualTo(until);
        assertThat(mutes.getFirst().getReason()).isEqualTo("cool off");
        assertThat(mutes.getFirst().getBy()).isEqualTo("system");

        assertThat(single.backend().unmuteUser("sg-mute", "sg-muted", "mod-bot")).isTrue();
        assertThat(awaitEvent(other, "unmuted", "sg-muted").get("by").asText()).isEqualTo("mod-bot");
        muted.client().send("sg-mute", "free again").join();
        assertThat(single.backend().unmuteUser("sg-mute", "sg-muted", "")).isFalse();
        assertThat(single.backend().mutes("sg-mute")).isEmpty();
    }

    @Test
    void banUserBansInEachScopeAndListBansAnswersPerScopeAndPerUser() throws Exception {
        ChatUser target = in("sg-ban", user(single.node(), "sg-target"));
        ChatUser watcher = in("sg-ban", user(single.node(), "sg-watcher"));

        BanUserResponse room = single.backend().banUser("sg-target", "room", "sg-ban", "2h", "by the backend", "mod-bot");
        assertThat(room.getSessionsRemoved()).isEqualTo(1);
        assertThat(awaitEvent(watcher, "banned", "sg-target").get("by").asText()).isEqualTo("mod-bot");
        await().atMost(TIMEOUT).until(() -> !members(watcher, "sg-ban").contains("sg-target"));
        assertThat(refusal(target.client().join("sg-ban")).name()).isEqualTo("BANNED");

        single.backend().banUser("sg-target", "channel", "default", "", "", "");
        List<Ban> ofUser = single.backend().bans("user", "sg-target");
        assertThat(ofUser).extracting(Ban::getScope).containsExactly("room", "channel");
        assertThat(ofUser.getFirst().getUntilMs()).isEqualTo(room.getUntilMs());
        assertThat(single.backend().bans("channel", "default")).extracting(Ban::getUntilMs).containsExactly(0L);
        assertThat(single.backend().bans("room", "sg-ban")).extracting(Ban::getReason).containsExactly("by the backend");

        BanUserResponse global = single.backend().banUser("sg-target", "global", "", "1d", "", "");
        assertThat(global.getSessionsRemoved()).isEqualTo(1);
        assertThat(target.client().closeFuture().get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).code()).isEqualTo(4038);
        assertThat(single.backend().bans("global", "")).extracting(Ban::getUser).containsExactly("sg-target");

        assertThat(single.backend().unbanUser("sg-target", "global", "", "")).isTrue();
        assertThat(single.backend().unbanUser("sg-target", "channel", "default", "")).isTrue();
        assertThat(single.backend().unbanUser("sg-target", "room", "sg-ban", "")).isTrue();
        assertThat(single.backend().unbanUser("sg-target", "room", "sg-ban", "")).isFalse();
        in("sg-ban", user(single.node(), "sg-target"));
    }

    @Test
    void invalidRequestsAreRefusedAsInvalidArgumentsOrNotFound() {
        StatusRuntimeException noScope = catchThrowableOfType(StatusRuntimeException.class,
                () -> single.backend().moderationStub().banUser(io.dino.api.v1.BanUserRequest.newBuilder().setUser("x").build()));
        assertThat(noScope.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        StatusRuntimeException duration = catchThrowableOfType(StatusRuntimeException.class,
                () -> single.backend().banUser("x", "room", "sg-any", "forever", "", ""));
        assertThat(duration.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(duration.getStatus().getDescription()).contains("30s, 10m, 2h, 7d");
        StatusRuntimeException channel = catchThrowableOfType(StatusRuntimeException.class,
                () -> single.backend().banUser("x", "channel", "sg-nowhere", "", "", ""));
        assertThat(channel.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        StatusRuntimeException list = catchThrowableOfType(StatusRuntimeException.class,
                () -> single.backend().moderationStub().listBans(io.dino.api.v1.ListBansRequest.getDefaultInstance()));
        assertThat(list.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void aKickAlsoBansForTheConfiguredTime() throws Exception {
        ChatUser op = operator(single.node(), "sg-kick-op");
        ChatUser kicked = in("sg-kick", user(single.node(), "sg-kicked"));
        long before = System.currentTimeMillis();
        op.client().kick("sg-kick", "sg-kicked", "go away").join();
        awaitEvent(kicked, "kicked", "sg-kicked");
        DinoException refused = refusal(kicked.client().join("sg-kick"));
        assertThat(refused.name()).isEqualTo("BANNED");
        assertThat(refused.details()).containsEntry("reason", "go away");
        assertThat(refused.longDetail("until").orElseThrow()).isBetween(before + 60_000, System.currentTimeMillis() + 60_000);
        assertThat(kicked.events().events("banned")).as("the kick tells the room; its ban tells nobody").isEmpty();
        assertThat(single.backend().bans("room", "sg-kick")).extracting(Ban::getBy).containsExactly("sg-kick-op");
        // a kick of someone not in the room bans nobody
        assertThat(single.backend().kickUser("sg-kick", "sg-absent", "", "")).isZero();
        assertThat(single.backend().bans("user", "sg-absent")).isEmpty();
    }
}
