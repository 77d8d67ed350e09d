package io.dino.gateway.core;

import io.dino.gateway.acl.AclSubject;
import io.dino.gateway.acl.RoomAcl;
import io.dino.gateway.acl.RoomAction;
import io.dino.gateway.acl.Verdict;
import io.dino.gateway.auth.Principal;
import io.dino.gateway.engine.Directory;
import io.dino.gateway.engine.Directory.ChannelRecord;
import io.dino.gateway.engine.Directory.RoomKind;
import io.dino.gateway.engine.Directory.RoomRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The access decision of one room from its snapshot: private rooms, stored roles in rules, channel rules, rights. */
class RoomRulesTest {

    private static final ChannelRecord GAMES = new ChannelRecord("games", "Games", 1, List.of(), Map.of());

    private static Principal user(String name, String... roles) {
        return new Principal(name, Set.of(roles), Map.of(), Instant.MAX);
    }

    private static AclSubject in(Principal principal) {
        return AclSubject.of(principal, true, true);
    }

    private static RoomRecord room(RoomKind kind, Set<String> members) {
        return new RoomRecord("r-1", "games", "Chess", kind, 10, "", 0, "ann", members, false);
    }

    private static RoomRules rules(RoomRecord record, ChannelRecord channel, Map<String, String> acl,
                                   Map<String, Set<String>> roomRoles, Map<String, Set<String>> channelRoles) {
        return new RoomRules("r-1", Optional.ofNullable(record), channel, RoomAcl.parse(acl), roomRoles, channelRoles);
    }

    @Test
    void anOpenRoomIsOfTheDefaultChannelAndAllowsEverything() {
        RoomRules open = RoomRules.open("lobby");
        assertThat(open.kind()).isEqualTo("open");
        assertThat(open.channel()).isEqualTo(Directory.DEFAULT_CHANNEL);
        assertThat(open.name()).isEmpty();
        assertThat(open.capacity()).isZero();
        assertThat(open.membershipEvents()).isTrue();
        assertThat(open.rights(in(user("bob")))).containsExactly("history", "members", "message");
    }

    @Test
    void aRegisteredRoomTellsItsKindChannelNameCapacityAndEventsSwitch() {
        RoomRules chess = rules(room(RoomKind.STATIC, Set.of()), GAMES, Map.of(), Map.of(), Map.of());
        assertThat(chess.kind()).isEqualTo("static");
        assertThat(chess.channel()).isEqualTo("games");
        assertThat(chess.name()).contains("Chess");
        assertThat(chess.capacity()).isEqualTo(10);
        assertThat(chess.membershipEvents()).isFalse();
    }

    @Test
    void aPrivateRoomAdmitsOnlyItsMembersAndOperators() {
        RoomRules dm = rules(room(RoomKind.PRIVATE, Set.of("ann", "bob")), GAMES, Map.of(), Map.of(), Map.of());
        for (RoomAction action : List.of(RoomAction.JOIN, RoomAction.HISTORY, RoomAction.MEMBERS, RoomAction.MESSAGE, RoomAction.LIST)) {
            assertThat(dm.check(AclSubject.of(user("eve")), action)).isEqualTo(new Verdict(false, "membership of the private room"));
            assertThat(dm.check(AclSubject.of(user("bob")), action).passed()).isTrue();
            assertThat(dm.check(AclSubject.of(user("olga", Principal.SUPER_USER)), action).passed()).isTrue();
        }
        assertThat(dm.rights(AclSubject.of(user("eve")))).isEmpty();
    }

    @Test
    void aPrivateRoomsMembersStillPassItsRules() {
        RoomRules dm = rules(room(RoomKind.PRIVATE, Set.of("ann", "bob")), GAMES, Map.of("message", "role=owner"),
                Map.of("ann", Set.of("owner")), Map.of());
        assertThat(dm.check(in(user("ann")), RoomAction.MESSAGE).passed()).isTrue();
        assertThat(dm.check(in(user("bob")), RoomAction.MESSAGE)).isEqualTo(new Verdict(false, "role=owner"));
    }

    @Test
    void storedRolesAreVisibleToRoleTermsUnderTheirContextNames() {
        RoomRules chess = rules(room(RoomKind.STATIC, Set.of()), GAMES,
                Map.of("join", "role=owner|role=moderator|role=channel-owner|role=channel-admin"),
                Map.of("ann", Set.of("owner"), "mo", Set.of("moderator")), Map.of("cy", Set.of("owner"), "di", Set.of("admin")));
        for (String allowed : List.of("ann", "mo", "cy", "di")) {
            assertThat(chess.check(AclSubject.of(user(allowed)), RoomAction.JOIN).passed()).as(allowed).isTrue();
        }
        assertThat(chess.check(AclSubject.of(user("eve")), RoomAction.JOIN).passed()).isFalse();
        assertThat(chess.contextRoles("cy")).containsExactly("channel-owner");
        assertThat(chess.check(AclSubject.of(user("tok", "owner")), RoomAction.JOIN).passed())
                .as("the token's roles count as before").isTrue();
    }

    @Test
    void aSendNeedsTheRoomsAndTheChannelsMessageRule() {
        ChannelRecord quiet = new ChannelRecord("games", "Games", 1, List.of(), Map.of("message", "role=player", "crossroom", "deny"));
        RoomRules chess = rules(room(RoomKind.STATIC, Set.of()), quiet, Map.of("message", "sameroom"), Map.of(), Map.of());
        assertThat(chess.check(in(user("bob")), RoomAction.MESSAGE)).isEqualTo(new Verdict(false, "role=player"));
        assertThat(chess.check(AclSubject.of(user("pia", "player")), RoomAction.MESSAGE)).isEqualTo(new Verdict(false, "sameroom"));
        assertThat(chess.check(in(user("pia", "player")), RoomAction.MESSAGE).passed()).isTrue();
        assertThat(chess.check(in(user("pia", "player")), RoomAction.CROSSROOM)).isEqualTo(new Verdict(false, "deny"));
        assertThat(chess.check(in(user("pia", "player")), RoomAction.JOIN).passed()).as("the channel's message rule is for sends only").isTrue();
        assertThat(chess.rights(in(user("bob")))).containsExactly("history", "members");
    }

    @Test
    void roomOwnersChannelOwnersAdminsAndOperatorsManageTheRoom() {
        RoomRules chess = rules(room(RoomKind.EPHEMERAL, Set.of()), GAMES, Map.of("history", "deny"),
                Map.of("ann", Set.of("owner"), "mo", Set.of("moderator"), "zed", Set.of("owner")),
                Map.of("cy", Set.of("owner"), "di", Set.of("admin")));
        assertThat(chess.owners()).containsExactly("ann", "zed");
        assertThat(chess.rights(in(user("ann")))).containsExactly("members", "message", "remove", "rename", "setacl");
        assertThat(chess.rights(in(user("cy")))).containsExactly("members", "message", "remove", "rename", "setacl");
        assertThat(chess.rights(in(user("di")))).containsExactly("members", "message", "remove", "rename", "setacl");
        assertThat(chess.rights(in(user("mo")))).containsExactly("members", "message");
        assertThat(chess.rights(in(user("olga", Principal.GLOBAL_MODERATOR))))
                .containsExactly("history", "members", "message", "remove", "rename", "setacl");
    }

    @Test
    void channelRulesThatCannotBeReadAreRefused() {
        ChannelRecord broken = new ChannelRecord("games", "Games", 1, List.of(), Map.of("message", "age=("));
        assertThatThrownBy(() -> rules(null, broken, Map.of(), Map.of(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
