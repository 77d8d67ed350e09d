package io.dino.gateway.core;

import io.dino.gateway.acl.AclSubject;
import io.dino.gateway.acl.RoomAcl;
import io.dino.gateway.acl.RoomAction;
import io.dino.gateway.auth.Principal;
import io.dino.gateway.engine.RoomAcls;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The policy step's cache of rule snapshots, against a rules store that counts its reads. */
class RoomPolicyTest {

    /** A store that counts reads and may run something in the middle of one (a change arriving meanwhile). */
    private static final class CountingAcls implements RoomAcls {
        final Map<String, Map<String, String>> rules = new HashMap<>();
        final AtomicInteger reads = new AtomicInteger();
        Runnable duringRead = () -> { };

        @Override
        public Map<String, String> get(String room) {
            reads.incrementAndGet();
            Map<String, String> answer = rules.getOrDefault(room, Map.of());
            duringRead.run();
            return answer;
        }

        @Override
        public void set(String room, Map<String, String> roomRules) {
            rules.put(room, roomRules);
        }

        @Override
        public java.util.Set<String> roomsWithRule(String action) {
            return java.util.Set.of();
        }
    }

    private final CountingAcls store = new CountingAcls();
    private final RoomPolicy policy = new RoomPolicy(store, new io.dino.gateway.engine.memory.MemoryDirectory(),
            new io.dino.gateway.engine.memory.MemoryRoles(), Runnable::run, true);

    @Test
    void heldRulesAreReadOnceUntilInvalidated() {
        store.set("r", Map.of("message", "deny"));
        assertThat(policy.held("r").acl().rule(RoomAction.MESSAGE)).isPresent();
        policy.held("r");
        assertThat(store.reads).hasValue(1);

        store.set("r", Map.of());
        policy.invalidate("r");
        assertThat(policy.held("r").acl().isOpen()).isTrue();
        assertThat(store.reads).hasValue(2);
    }

    @Test
    void rulesReadWhileAChangeWasAppliedAreNotKept() {
        store.set("r", Map.of("message", "deny"));
        store.duringRead = () -> {
            store.rules.put("r", Map.of());  // the change is stored and its invalidation arrives mid-read
            policy.invalidate("r");
        };
        assertThat(policy.held("r").acl().isOpen()).as("this caller used what it read").isFalse();
        store.duringRead = () -> { };
        assertThat(policy.held("r").acl().isOpen()).as("but it was not kept").isTrue();
        assertThat(store.reads).hasValue(2);
    }

    @Test
    void storingReplacesTheRulesAndDropsTheCachedCopy() {
        policy.held("r");
        policy.store("r", RoomAcl.parse(Map.of("join", " age = 18 : ")));
        assertThat(store.rules.get("r")).isEqualTo(Map.of("join", "age=18:"));
        assertThat(policy.held("r").acl().rule(RoomAction.JOIN)).isPresent();
        assertThat(policy.stored("r")).isEqualTo(Map.of("join", "age=18:"));
    }

    @Test
    void refusalsNameTheActionTheRoomAndTheFailingPart() {
        Principal kid = new Principal("kid", Set.of(), Map.of("age", "12"), Instant.MAX);
        RoomRules acl = RoomRules.open("vip").withAcl(
                RoomAcl.parse(Map.of("join", "age=18:", "message", "deny", "history", "group=staff", "members", "role=vip")));
        assertThatThrownBy(() -> RoomPolicy.require(AclSubject.of(kid), acl, RoomAction.JOIN, "vip"))
                .isInstanceOfSatisfying(DinoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_ALLOWED))
                .hasMessage("not allowed to join room 'vip': needs age=18:");
        assertThatThrownBy(() -> RoomPolicy.require(AclSubject.of(kid), acl, RoomAction.MESSAGE, "vip"))
                .hasMessage("not allowed to send to room 'vip': needs deny");
        assertThatThrownBy(() -> RoomPolicy.require(AclSubject.of(kid), acl, RoomAction.HISTORY, "vip"))
                .hasMessage("not allowed to read the history of room 'vip': needs group=staff (no group in the token)");
        assertThatThrownBy(() -> RoomPolicy.require(AclSubject.of(kid), acl, RoomAction.MEMBERS, "vip"))
                .hasMessage("not allowed to list the members of room 'vip': needs role=vip");
    }

    @Test
    void storedRulesThisVersionCannotReadRefuseInsteadOfOpeningTheRoom() {
        store.set("r", Map.of("join", "age=("));
        assertThatThrownBy(() -> policy.current("r"))
                .isInstanceOfSatisfying(DinoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL))
                .hasMessageContaining("the access rules of room 'r' cannot be read");
    }
}
