package io.dino.gateway.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link RoomAcls#roomsWithRule}: the rooms having a rule for an action, as every engine must answer it. */
public abstract class RoomAclIndexContract {

    /** A new engine over empty storage. */
    protected abstract Engine newEngine(String node, Duration maxAge);

    private Engine engine;

    protected RoomAcls acls() {
        return engine.acls();
    }

    @BeforeEach
    void start() {
        engine = newEngine("n1", Duration.ZERO);
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    @Test
    void roomsWithARuleForTheActionAreFound() {
        acls().set("lobby", Map.of("autojoin", "age=18:", "join", "age=18:"));
        acls().set("news", Map.of("autojoin", "sameroom|role=vip"));
        acls().set("vip", Map.of("join", "role=vip"));
        assertThat(acls().roomsWithRule("autojoin")).containsExactlyInAnyOrder("lobby", "news");
        assertThat(acls().roomsWithRule("join")).containsExactlyInAnyOrder("lobby", "vip");
        assertThat(acls().roomsWithRule("crossroom")).isEmpty();
    }

    @Test
    void replacingTheRulesMovesTheRoomBetweenActions() {
        acls().set("lobby", Map.of("autojoin", "age=18:"));
        acls().set("lobby", Map.of("crossroom", "samechannel"));
        assertThat(acls().roomsWithRule("autojoin")).isEmpty();
        assertThat(acls().roomsWithRule("crossroom")).containsExactly("lobby");
    }

    @Test
    void removingTheRulesRemovesTheRoom() {
        acls().set("lobby", Map.of("autojoin", "age=18:"));
        acls().set("other", Map.of("autojoin", "deny"));
        acls().set("lobby", Map.of());
        assertThat(acls().roomsWithRule("autojoin")).containsExactly("other");
    }

    @Test
    void settingTheSameRulesAgainKeepsTheRoom() {
        acls().set("lobby", Map.of("autojoin", "age=18:"));
        acls().set("lobby", Map.of("autojoin", "age=21:"));
        assertThat(acls().roomsWithRule("autojoin")).containsExactly("lobby");
        assertThat(acls().get("lobby")).containsExactly(Map.entry("autojoin", "age=21:"));
    }
}
