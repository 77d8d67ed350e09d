package io.dino.gateway.core;

import io.dino.gateway.acl.RoomAcl;
import io.dino.gateway.auth.Principal;
import io.dino.gateway.engine.SessionRef;
import io.dino.gateway.acl.AclSubject;
import io.dino.gateway.engine.Directory;
import io.dino.gateway.engine.memory.MemoryDirectory;
import io.dino.gateway.engine.memory.MemoryRoles;
import io.dino.gateway.engine.memory.MemoryRoomAcls;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What RoomPolicy tells a rule about the session: in the room, in the room's channel, and cross-room sends. */
class RoomPolicyContextTest {

    /** Rooms named {@code CHANNEL.x} are registered in channel CHANNEL. */
    private final MemoryRoomAcls store = new MemoryRoomAcls();
    private final MemoryDirectory directory = new MemoryDirectory();
    private final RoomPolicy policy = new RoomPolicy(store, directory, new MemoryRoles(), Runnable::run, true);

    RoomPolicyContextTest() {
        for (String room : List.of("games.chess", "games.go", "news.daily", "news.stage", "music.jazz")) {
            String channel = room.substring(0, room.indexOf('.'));
            directory.createChannel(new Directory.ChannelRecord(channel, channel, 0, List.of(), Map.of()));
            directory.createRoom(new Directory.RoomRecord(room, channel, room, Directory.RoomKind.STATIC, 0, "", 0, "test",
                    Set.of(), true));
        }
    }

    private AclSubject subject(Session session, String room) {
        return policy.subject(session, policy.current(room));
    }

    private static Session session(Principal principal, String... rooms) {
        Session session = new Session(new SessionRef("n", "s", principal.user()), principal, new Outbound() {
            public void send(String frame) {
            }

            public void disconnect(Event.Disconnect disconnect, String encodedEvent) {
            }
        });
        session.rooms().addAll(Set.of(rooms));
        return session;
    }

    private static Principal user(String... roles) {
        return new Principal("u", Set.of(roles), Map.of(), Instant.MAX);
    }

    @Test
    void theSubjectIsInTheRoomAndInItsChannelFromTheSessionsRooms() {
        Session session = session(user(), "games.chess", "news.daily");
        assertThat(subject(session, "games.chess").inRoom()).isTrue();
        assertThat(subject(session, "games.go").inRoom()).isFalse();
        assertThat(subject(session, "games.go").inChannel()).isTrue();
        assertThat(subject(session, "music.jazz").inChannel()).isFalse();
    }

    @Test
    void sameChannelRulesSeeTheChannelOfTheRoom() {
        policy.store("games.go", RoomAcl.parse(Map.of("history", "samechannel")));
        policy.authorize(session(user(), "games.chess"), io.dino.gateway.acl.RoomAction.HISTORY, "games.go");
        assertThatThrownBy(() -> policy.authorize(session(user(), "news.daily"), io.dino.gateway.acl.RoomAction.HISTORY, "games.go"))
                .hasMessage("not allowed to read the history of room 'games.go': needs samechannel");
    }

    @Test
    void aCrossRoomSendNeedsOneChannelEvenForOperators() {
        Session operator = session(user(Principal.SUPER_USER), "news.daily");
        assertThatThrownBy(() -> policy.authorizeCrossRoom(operator, "news.daily", "games.go"))
                .isInstanceOfSatisfying(DinoException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_ALLOWED))
                .hasMessage("not allowed to send to room 'games.go' from room 'news.daily': the rooms are in different channels");
        store.set("news.stage", Map.of("crossroom", "deny"));
        policy.authorizeCrossRoom(operator, "news.daily", "news.stage");
    }

    @Test
    void aCrossRoomSendChecksTheCrossroomThenTheMessageRuleOfTheTarget() {
        Session session = session(user("herald"), "news.daily");
        policy.authorizeCrossRoom(session, "news.daily", "news.stage");  // no rules: open
        store.set("news.stage", Map.of("crossroom", "role=herald", "message", "sameroom"));
        assertThatThrownBy(() -> policy.authorizeCrossRoom(session, "news.daily", "news.stage"))
                .hasMessage("not allowed to send to room 'news.stage' from room 'news.daily': needs sameroom");
        store.set("news.stage", Map.of("crossroom", "role=herald,!sameroom"));
        policy.authorizeCrossRoom(session, "news.daily", "news.stage");
        assertThatThrownBy(() -> policy.authorizeCrossRoom(session(user(), "news.daily"), "news.daily", "news.stage"))
                .hasMessage("not allowed to send to room 'news.stage' from room 'news.daily': needs role=herald");
    }
}
