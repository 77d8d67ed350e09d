package io.dino.gateway.engine;

import io.dino.gateway.engine.Directory.RoomKind;
import io.dino.gateway.engine.Directory.RoomRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Directory#roomsOfKind}: the registered rooms of a kind, as every engine's directory must answer it. */
public abstract class RoomsOfKindContract {

    protected Directory directory;

    /** A directory over empty storage. */
    protected abstract Directory newDirectory();

    @BeforeEach
    void setUp() {
        directory = newDirectory();
    }

    protected static RoomRecord room(String id, String channel, String name, RoomKind kind) {
        return new RoomRecord(id, channel, name, kind, 0, "", 1_700_000_000_000L, "ann",
                kind == RoomKind.PRIVATE ? Set.of("ann", "ben") : Set.of(), true);
    }

    @Test
    void eachKindListsItsOwnRoomsWholeAcrossChannels() {
        directory.createChannel(new Directory.ChannelRecord("games", "Games", 0, java.util.List.of(), java.util.Map.of()));
        RoomRecord chat = room("r-chat", "default", "Chat", RoomKind.EPHEMERAL);
        RoomRecord chess = room("r-chess", "games", "Chess", RoomKind.EPHEMERAL);
        RoomRecord lobby = room("lobby", "default", "Lobby", RoomKind.STATIC);
        RoomRecord pair = room("r-pair", "games", "Pair", RoomKind.PRIVATE);
        for (RoomRecord room : java.util.List.of(chat, chess, lobby, pair)) {
            assertThat(directory.createRoom(room)).isEqualTo(Directory.Outcome.DONE);
        }
        assertThat(directory.roomsOfKind(RoomKind.EPHEMERAL)).containsExactlyInAnyOrder(chat, chess);
        assertThat(directory.roomsOfKind(RoomKind.STATIC)).containsExactly(lobby);
        assertThat(directory.roomsOfKind(RoomKind.PRIVATE)).containsExactly(pair);
    }

    @Test
    void noRoomsOfAKindIsAnEmptyList() {
        directory.createRoom(room("lobby", "default", "Lobby", RoomKind.STATIC));
        assertThat(directory.roomsOfKind(RoomKind.EPHEMERAL)).isEmpty();
    }

    @Test
    void aRemovedRoomIsNoLongerListedAndARenamedOneIsListedUnderItsNewName() {
        directory.createRoom(room("r-a", "default", "Alpha", RoomKind.EPHEMERAL));
        directory.createRoom(room("r-b", "default", "Beta", RoomKind.EPHEMERAL));
        assertThat(directory.removeRoom("r-a")).isEqualTo(Directory.Outcome.DONE);
        assertThat(directory.renameRoom("r-b", "Gamma")).isEqualTo(Directory.Outcome.DONE);
        assertThat(directory.roomsOfKind(RoomKind.EPHEMERAL)).extracting(RoomRecord::id, RoomRecord::name)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("r-b", "Gamma"));
    }

    @Test
    void aCreateRefusedForItsNameOrIdListsNothingNew() {
        directory.createRoom(room("r-a", "default", "Alpha", RoomKind.STATIC));
        assertThat(directory.createRoom(room("r-b", "default", "ALPHA", RoomKind.EPHEMERAL))).isEqualTo(Directory.Outcome.TAKEN);
        assertThat(directory.createRoom(room("r-a", "default", "Other", RoomKind.EPHEMERAL))).isEqualTo(Directory.Outcome.TAKEN);
        assertThat(directory.roomsOfKind(RoomKind.EPHEMERAL)).isEmpty();
        assertThat(directory.roomsOfKind(RoomKind.STATIC)).extracting(RoomRecord::id).containsExactly("r-a");
    }

    @Test
    void aRoomRemovedAndCreatedAgainUnderTheSameIdIsListedUnderItsNewKind() {
        directory.createRoom(room("same", "default", "Same", RoomKind.EPHEMERAL));
        directory.removeRoom("same");
        directory.createRoom(room("same", "default", "Same", RoomKind.STATIC));
        assertThat(directory.roomsOfKind(RoomKind.EPHEMERAL)).isEmpty();
        assertThat(directory.roomsOfKind(RoomKind.STATIC)).extracting(RoomRecord::id).containsExactly("same");
    }
}
