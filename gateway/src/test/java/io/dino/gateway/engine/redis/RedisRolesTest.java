package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.Control;
import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.RecordingListener;
import io.dino.gateway.engine.Roles;
import io.dino.gateway.engine.Roles.Grant;
import io.dino.gateway.engine.Roles.Scope;
import io.dino.gateway.engine.RolesContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Redis engine's roles pass the roles contract against a real redis-server, plus what only two slots have. */
class RedisRolesTest extends RolesContract {

    @RegisterExtension
    static final RedisEngines redis = RedisEngines.onServer("roles");

    @Override
    protected Roles newRoles() {
        return redis.newNode(Engine::roles);
    }

    @Override
    protected Roles otherNodeOf(Roles roles) {
        return redis.otherNodeOf(roles, Engine::roles);
    }

    @Test
    void aRoomRulesChangedControlReachesTheNodesHoldingTheRoomWithTheirCount() {
        String prefix = redis.newPrefix();
        Engine a = redis.engine("a", prefix);
        Engine b = redis.engine("b", prefix);
        Engine bystander = redis.engine("e", prefix);
        RecordingListener onA = new RecordingListener();
        RecordingListener onB = new RecordingListener();
        RecordingListener onE = new RecordingListener();
        onB.sessionsAffected = 2;
        a.broker().start(onA);
        b.broker().start(onB);
        bystander.broker().start(onE);
        b.broker().subscribe(LogId.room("held"));

        Control changed = new Control.RoomRulesChanged("held");
        assertThat(a.broker().control(LogId.room("held"), changed)).isEqualTo(2);

        assertThat(onB.controls).containsExactly(changed);
        assertThat(onA.controls).isEmpty();
        assertThat(onE.controls).isEmpty();
    }

    @Test
    void rolesAreKeptInTheScopesSlotAndIndexedInTheUsersSlot() {
        Roles roles = newRoles();
        String prefix = redis.prefixOf(roles);
        roles.grant(Scope.room("lobby"), "alice", "owner");
        roles.grant(Scope.room("lobby"), "alice", "moderator");
        roles.grant(Scope.channel("games"), "alice", "admin");

        assertThat(redis.direct().hgetall(prefix + ":{r:lobby}:roles")).isEqualTo(Map.of("alice", "moderator owner"));
        assertThat(redis.direct().hgetall(prefix + ":{c:games}:roles")).isEqualTo(Map.of("alice", "admin"));
        assertThat(redis.direct().smembers(prefix + ":{u:alice}:grants"))
                .containsExactlyInAnyOrder("room|lobby|owner", "room|lobby|moderator", "channel|games|admin");
    }

    @Test
    void anIndexEntryLeftByACrashBetweenTheTwoStepsIsNotAnswered() {
        Roles roles = newRoles();
        String prefix = redis.prefixOf(roles);
        roles.grant(Scope.room("lobby"), "alice", "owner");
        // a grant that stopped after its index step, and an entry of a shape this version does not know
        redis.direct().sadd(prefix + ":{u:alice}:grants", "room|vip|owner", "channel|games|admin", "nonsense");

        assertThat(roles.grantsOf(List.of("alice")).get("alice")).containsExactly(new Grant(Scope.room("lobby"), "owner"));
    }
}
