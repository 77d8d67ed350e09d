package io.dino.gateway.e2e;

import io.dino.api.client.DinoBackendClient;
import io.dino.api.v1.Ban;
import io.dino.api.v1.BanUserResponse;
import io.dino.api.v1.Mute;
import io.dino.client.DinoException;
import io.dino.gateway.TestNode;
import io.dino.gateway.e2e.SanctionsTest.User;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.dino.gateway.TestNode.TIMEOUT;
import static io.dino.gateway.e2e.AccessControlTest.refusal;
import static io.dino.gateway.e2e.SanctionsTest.awaitEvent;
import static io.dino.gateway.e2e.SanctionsTest.in;
import static io.dino.gateway.e2e.SanctionsTest.members;
import static io.dino.gateway.e2e.SanctionsTest.operator;
import static io.dino.gateway.e2e.SanctionsTest.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The Moderation service's BanUser, UnbanUser, ListBans, MuteUser, UnmuteUser and ListMutes (memory engine), and the
 * kick's short ban ({@code dino.moderation.kick-ban}, set on this node).
 */
class SanctionsGrpcTest {

    private static TestNode node;
    private static DinoBackendClient backend;

    @BeforeAll
    static void start() {
        node = TestNode.start(Map.of("dino.moderation.kick-ban", "PT1M"));
        backend = DinoBackendClient.builder("127.0.0.1", node.grpcPort()).apiKey(TestNode.API_KEY).build();
    }

    @AfterAll
    static void stop() {
        backend.close();
        node.close();
    }

    @Test
    void aMuteSetThroughGrpcRefusesTheNextSendAndAnUnmuteLiftsIt() throws Exception {
        User muted = in("sg-mute", user(node, "sg-muted"));
        User other = in("sg-mute", user(node, "sg-other"));
        muted.client().send("sg-mute", "before").join();

        long until = backend.muteUser("sg-mute", "sg-muted", "5m", "cool off", "");
        assertThat(until).isCloseTo(System.currentTimeMillis() + 300_000, org.assertj.core.api.Assertions.within(5_000L));
        DinoException refused = refusal(muted.client().send("sg-mute", "after"));
        assertThat(refused.name()).isEqualTo("MUTED");
        assertThat(refused.longDetail("until").orElseThrow()).isEqualTo(until);
        assertThat(awaitEvent(other, "muted", "sg-muted").get("by").asText()).isEqualTo("system");
        other.client().send("sg-mute", "I still can").join();

        List<Mute> mutes = backend.mutes("sg-mute");
        assertThat(mutes).hasSize(1);
        assertThat(mutes.getFirst().getUser()).isEqualTo("sg-muted");
        assertThat(mutes.getFirst().getUntilMs()).isEqualTo(until);
        assertThat(mutes.getFirst().getReason()).isEqualTo("cool off");
        assertThat(mutes.getFirst().getBy()).isEqualTo("system");

        assertThat(backend.unmuteUser("sg-mute", "sg-muted", "mod-bot")).isTrue();
        assertThat(awaitEvent(other, "unmuted", "sg-muted").get("by").asText()).isEqualTo("mod-bot");
        muted.client().send("sg-mute", "free again").join();
        assertThat(backend.unmuteUser("sg-mute", "sg-muted", "")).isFalse();
        assertThat(backend.mutes("sg-mute")).isEmpty();
    }

    @Test
    void banUserBansInEachScopeAndListBansAnswersPerScopeAndPerUser() throws Exception {
        User target = in("sg-ban", user(node, "sg-target"));
        User watcher = in("sg-ban", user(node, "sg-watcher"));

        BanUserResponse room = backend.banUser("sg-target", "room", "sg-ban", "2h", "by the backend", "mod-bot");
        assertThat(room.getSessionsRemoved()).isEqualTo(1);
        assertThat(awaitEvent(watcher, "banned", "sg-target").get("by").asText()).isEqualTo("mod-bot");
        await().atMost(TIMEOUT).until(() -> !members(watcher, "sg-ban").contains("sg-target"));
        assertThat(refusal(target.client().join("sg-ban")).name()).isEqualTo("BANNED");

        backend.banUser("sg-target", "channel", "default", "", "", "");
        List<Ban> ofUser = backend.bans("user", "sg-target");
        assertThat(ofUser).extracting(Ban::getScope).containsExactly("room", "channel");
        assertThat(ofUser.getFirst().getUntilMs()).isEqualTo(room.getUntilMs());
        assertThat(backend.bans("channel", "default")).extracting(Ban::getUntilMs).containsExactly(0L);
        assertThat(backend.bans("room", "sg-ban")).extracting(Ban::getReason).containsExactly("by the backend");

        BanUserResponse global = backend.banUser("sg-target", "global", "", "1d", "", "");
        assertThat(global.getSessionsRemoved()).isEqualTo(1);
        assertThat(target.client().closeFuture().get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).code()).isEqualTo(4038);
        assertThat(backend.bans("global", "")).extracting(Ban::getUser).containsExactly("sg-target");

        assertThat(backend.unbanUser("sg-target", "global", "", "")).isTrue();
        assertThat(backend.unbanUser("sg-target", "channel", "default", "")).isTrue();
        assertThat(backend.unbanUser("sg-target", "room", "sg-ban", "")).isTrue();
        assertThat(backend.unbanUser("sg-target", "room", "sg-ban", "")).isFalse();
        in("sg-ban", user(node, "sg-target"));
    }

    @Test
    void invalidRequestsAreRefusedAsInvalidArgumentsOrNotFound() {
        StatusRuntimeException noScope = catchThrowableOfType(StatusRuntimeException.class,
                () -> backend.moderationStub().banUser(io.dino.api.v1.BanUserRequest.newBuilder().setUser("x").build()));
        assertThat(noScope.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        StatusRuntimeException duration = catchThrowableOfType(StatusRuntimeException.class,
                () -> backend.banUser("x", "room", "sg-any", "forever", "", ""));
        assertThat(duration.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(duration.getStatus().getDescription()).contains("30s, 10m, 2h, 7d");
        StatusRuntimeException channel = catchThrowableOfType(StatusRuntimeException.class,
                () -> backend.banUser("x", "channel", "sg-nowhere", "", "", ""));
        assertThat(channel.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        StatusRuntimeException list = catchThrowableOfType(StatusRuntimeException.class,
                () -> backend.moderationStub().listBans(io.dino.api.v1.ListBansRequest.getDefaultInstance()));
        assertThat(list.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void aKickAlsoBansForTheConfiguredTime() throws Exception {
        User op = operator(node, "sg-kick-op");
        User kicked = in("sg-kick", user(node, "sg-kicked"));
        long before = System.currentTimeMillis();
        op.client().kick("sg-kick", "sg-kicked", "go away").join();
        awaitEvent(kicked, "kicked", "sg-kicked");
        DinoException refused = refusal(kicked.client().join("sg-kick"));
        assertThat(refused.name()).isEqualTo("BANNED");
        assertThat(refused.details()).containsEntry("reason", "go away");
        assertThat(refused.longDetail("until").orElseThrow()).isBetween(before + 60_000, System.currentTimeMillis() + 60_000);
        assertThat(kicked.events().events("banned")).as("the kick tells the room; its ban tells nobody").isEmpty();
        assertThat(backend.bans("room", "sg-kick")).extracting(Ban::getBy).containsExactly("sg-kick-op");
        // a kick of someone not in the room bans nobody
        assertThat(backend.kickUser("sg-kick", "sg-absent", "", "")).isZero();
        assertThat(backend.bans("user", "sg-absent")).isEmpty();
    }
}
