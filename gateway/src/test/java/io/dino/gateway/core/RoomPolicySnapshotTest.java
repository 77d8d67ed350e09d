package io.dino.gateway.core;

import io.dino.gateway.acl.RoomAcl;
import io.dino.gateway.acl.RoomAction;
import io.dino.gateway.auth.Principal;
import io.dino.gateway.engine.Directory;
import io.dino.gateway.engine.Roles;
import io.dino.gateway.engine.SessionRef;
import io.dino.gateway.engine.memory.MemoryDirectory;
import io.dino.gateway.engine.memory.MemoryRoles;
import io.dino.gateway.engine.memory.MemoryRoomAcls;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How RoomPolicy loads and keeps RoomRules snapshots: which reads, how many, and when they are read again. */
class RoomPolicySnapshotTest {

    /** Counts the reads a load issues (each runs inline). */
    private final AtomicInteger reads = new AtomicInteger();
    private final Executor counting = read -> {
        reads.incrementAndGet();
        read.run();
    };
    private final MemoryDirectory directory = new MemoryDirectory();
    private final MemoryRoles roles = new MemoryRoles();
    private final MemoryRoomAcls acls = new MemoryRoomAcls();
    private final RoomPolicy policy = new RoomPolicy(acls, directory, roles, counting, true);

    RoomPolicySnapshotTest() {
        directory.createChannel(new Directory.ChannelRecord("games", "Games", 0, List.of(), Map.of("message", "role=player")));
        directory.createRoom(new Directory.RoomRecord("r-chess", "games", "Chess", Directory.RoomKind.STATIC, 0, "", 0, "t",
                Set.of(), true));
    }

    private static Session session(String user, String... rooms) {
        Session session = new Session(new SessionRef("n", "s-" + user, user), new Principal(user, Set.of(), Map.of(), Instant.MAX),
                new Outbound() {
                    public void send(String frame) {
                    }

                    public void disconnect(Event.Disconnect disconnect, String encodedEvent) {
                    }
                });
        session.rooms().addAll(Set.of(rooms));
        return session;
    }

    @Test
    void aLoadIssuesItsFiveReadsTogetherAndTheChannelAgainOnlyWhenTheGuessWasWrong() {
        assertThat(policy.current("lobby").channel()).isEqualTo("default");
        assertThat(reads).as("record, rules, room roles, default channel and its roles").hasValue(5);

        reads.set(0);
        assertThat(policy.current("r-chess").channel()).isEqualTo("games");
        assertThat(reads).as("the default channel guessed: the record's channel read after it").hasValue(7);

        reads.set(0);
        assertThat(policy.held("r-chess", "games").channelRecord().name()).isEqualTo("Games");
        assertThat(reads).as("the channel a join's first look found").hasValue(5);
    }

    @Test
    void aSessionInTheRoomIsDecidedFromTheCacheWithoutAnEngineRead() {
        Session player = session("pia", "r-chess");
        policy.held("r-chess");
        reads.set(0);

        assertThatThrownBy(() -> policy.authorize(player, RoomAction.MESSAGE, "r-chess"))
                .hasMessage("not allowed to send to room 'r-chess': needs role=player");
        policy.authorize(player, RoomAction.HISTORY, "r-chess");

        assertThat(reads).hasValue(0);
    }

    @Test
    void aStoredRoleCountsOnceTheSnapshotIsReadAgain() {
        acls.set("r-chess", RoomAcl.parse(Map.of("join", "role=moderator")).texts());
        Session mo = session("mo", "r-chess");
        assertThat(policy.held("r-chess").check(policy.subject(mo, policy.held("r-chess")), RoomAction.JOIN).passed()).isFalse();

        roles.grant(Roles.Scope.room("r-chess"), "mo", "moderator");
        assertThat(policy.held("r-chess").contextRoles("mo")).as("cached until told").isEmpty();
        policy.invalidate("r-chess");

        assertThat(policy.held("r-chess").check(policy.subject(mo, policy.held("r-chess")), RoomAction.JOIN).passed()).isTrue();
    }

    @Test
    void withoutOpenRoomsAnUnregisteredRoomDoesNotExist() {
        RoomPolicy closed = new RoomPolicy(acls, directory, roles, Runnable::run, false);
        assertThatThrownBy(() -> closed.authorize(session("ann"), RoomAction.HISTORY, "lobby"))
                .isInstanceOfSatisfying(DinoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_SUCH_ROOM))
                .hasMessage("no such room 'lobby'");
        closed.authorize(session("ann"), RoomAction.HISTORY, "r-chess");
    }
}
