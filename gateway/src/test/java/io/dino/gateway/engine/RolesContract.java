package io.dino.gateway.engine;

import io.dino.gateway.engine.Roles.Grant;
import io.dino.gateway.engine.Roles.Scope;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What every engine's stored roles do; each engine's test supplies empty roles and a second node's view of them. */
public abstract class RolesContract {

    /** Roles with nothing stored. */
    protected abstract Roles newRoles();

    /** The same stored roles as another node of the cluster sees them (the memory engine: the same object). */
    protected abstract Roles otherNodeOf(Roles roles);

    private Roles roles;

    @BeforeEach
    void start() {
        roles = newRoles();
    }

    @Test
    void grantingAnswersWhetherItChangedAnything() {
        assertThat(roles.grant(Scope.room("lobby"), "alice", "owner")).isTrue();
        assertThat(roles.grant(Scope.room("lobby"), "alice", "owner")).isFalse();
        assertThat(roles.grant(Scope.room("lobby"), "alice", "moderator")).isTrue();
        assertThat(roles.holders(Scope.room("lobby"))).isEqualTo(Map.of("alice", Set.of("moderator", "owner")));
    }

    @Test
    void revokingAnswersWhetherTheUserHadTheRole() {
        roles.grant(Scope.room("lobby"), "alice", "owner");
        roles.grant(Scope.room("lobby"), "alice", "moderator");
        assertThat(roles.revoke(Scope.room("lobby"), "alice", "admin")).isFalse();
        assertThat(roles.revoke(Scope.room("lobby"), "bob", "owner")).isFalse();
        assertThat(roles.revoke(Scope.room("nowhere"), "alice", "owner")).isFalse();
        assertThat(roles.revoke(Scope.room("lobby"), "alice", "owner")).isTrue();
        assertThat(roles.revoke(Scope.room("lobby"), "alice", "owner")).isFalse();
        assertThat(roles.holders(Scope.room("lobby"))).isEqualTo(Map.of("alice", Set.of("moderator")));
        assertThat(roles.revoke(Scope.room("lobby"), "alice", "moderator")).isTrue();
        assertThat(roles.holders(Scope.room("lobby"))).isEmpty();
        assertThat(roles.grantsOf(List.of("alice"))).isEqualTo(Map.of("alice", List.of()));
    }

    @Test
    void holdersAreKeptPerScopeAndAChannelIsNotARoomOfTheSameId() {
        roles.grant(Scope.room("games"), "alice", "owner");
        roles.grant(Scope.channel("games"), "bob", "admin");
        roles.grant(Scope.channel("games"), "carol", "owner");
        assertThat(roles.holders(Scope.room("games"))).isEqualTo(Map.of("alice", Set.of("owner")));
        assertThat(roles.holders(Scope.channel("games"))).isEqualTo(Map.of("bob", Set.of("admin"), "carol", Set.of("owner")));
        assertThat(roles.holders(Scope.room("empty"))).isEmpty();
    }

    @Test
    void grantsOfAnswersEachDistinctUserInTheOrderAskedWithGrantsSorted() {
        roles.grant(Scope.room("zoo"), "alice", "owner");
        roles.grant(Scope.room("arena"), "alice", "moderator");
        roles.grant(Scope.channel("games"), "alice", "owner");
        roles.grant(Scope.room("arena"), "alice", "owner");
        roles.grant(Scope.room("zoo"), "bob", "moderator");

        Map<String, List<Grant>> grants = roles.grantsOf(List.of("nobody", "bob", "alice", "bob"));

        assertThat(grants.keySet()).containsExactly("nobody", "bob", "alice");
        assertThat(grants.get("nobody")).isEmpty();
        assertThat(grants.get("bob")).containsExactly(new Grant(Scope.room("zoo"), "moderator"));
        assertThat(grants.get("alice")).containsExactly(
                new Grant(Scope.channel("games"), "owner"),
                new Grant(Scope.room("arena"), "moderator"),
                new Grant(Scope.room("arena"), "owner"),
                new Grant(Scope.room("zoo"), "owner"));
    }

    @Test
    void userIdsMayHoldAnyPrintableCharacters() {
        String user = "ann|room|x owner";
        assertThat(roles.grant(Scope.room("r"), user, "owner")).isTrue();
        assertThat(roles.holders(Scope.room("r"))).isEqualTo(Map.of(user, Set.of("owner")));
        assertThat(roles.grantsOf(List.of(user)).get(user)).containsExactly(new Grant(Scope.room("r"), "owner"));
    }

    @Test
    void clearingAScopeForgetsItsRolesAndTheUsersGrantsOfIt() {
        roles.grant(Scope.room("gone"), "alice", "owner");
        roles.grant(Scope.room("gone"), "bob", "moderator");
        roles.grant(Scope.room("kept"), "alice", "moderator");
        roles.grant(Scope.channel("gone"), "bob", "admin");

        roles.clear(Scope.room("gone"));

        assertThat(roles.holders(Scope.room("gone"))).isEmpty();
        assertThat(roles.grantsOf(List.of("alice", "bob"))).isEqualTo(Map.of(
                "alice", List.of(new Grant(Scope.room("kept"), "moderator")),
                "bob", List.of(new Grant(Scope.channel("gone"), "admin"))));
        assertThat(roles.grant(Scope.room("gone"), "alice", "owner")).isTrue();
    }

    @Test
    void anotherNodeSeesAGrantOrRevokeOnceItReturns() {
        Roles other = otherNodeOf(roles);
        roles.grant(Scope.room("shared"), "alice", "owner");
        assertThat(other.holders(Scope.room("shared"))).isEqualTo(Map.of("alice", Set.of("owner")));
        assertThat(other.grant(Scope.room("shared"), "alice", "owner")).isFalse();
        assertThat(other.grantsOf(List.of("alice")).get("alice")).containsExactly(new Grant(Scope.room("shared"), "owner"));
        assertThat(other.revoke(Scope.room("shared"), "alice", "owner")).isTrue();
        assertThat(roles.holders(Scope.room("shared"))).isEmpty();
        assertThat(roles.grantsOf(List.of("alice")).get("alice")).isEmpty();
    }
}
