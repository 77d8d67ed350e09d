package io.dino.gateway.engine;

import io.dino.gateway.engine.Directory.ChannelRecord;
import io.dino.gateway.engine.Directory.Outcome;
import io.dino.gateway.engine.Directory.RoomKind;
import io.dino.gateway.engine.Directory.RoomRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The directory contract ({@link Directory}): every engine's directory passes these against real storage. */
public abstract class DirectoryContract {

    protected Directory directory;

    /** A directory over empty storage. */
    protected abstract Directory newDirectory();

    @BeforeEach
    void setUp() {
        directory = newDirectory();
    }

    protected static RoomRecord room(String id, String channel, String name) {
        return new RoomRecord(id, channel, name, RoomKind.STATIC, 0, "about " + name, 1_700_000_000_000L, "backend",
                Set.of(), true);
    }

    protected static ChannelRecord channel(String id, String name, int sortOrder) {
        return new ChannelRecord(id, name, sortOrder, List.of("b-tag", "a-tag"), Map.of("join", "role=member", "create", "deny"));
    }

    @Test
    void theDefaultChannelExistsBeforeAnyoneCreatesItAndCannotBeRemoved() {
        assertThat(directory.channel("default")).contains(new ChannelRecord("default", "default", 0, List.of(), Map.of()));
        assertThat(directory.channels()).extracting(ChannelRecord::id).containsExactly("default");
        assertThat(directory.createRoom(room("lobby", "default", "Lobby"))).isEqualTo(Outcome.DONE);
        assertThat(directory.removeChannel("default")).isEqualTo(Outcome.TAKEN);
        assertThat(directory.removeRoom("lobby")).isEqualTo(Outcome.DONE);
        assertThat(directory.removeChannel("default")).isEqualTo(Outcome.TAKEN);
        assertThat(directory.channel("default")).isPresent();
    }

    @Test
    void theDefaultChannelCanBeGivenANameAndRules() {
        ChannelRecord named = new ChannelRecord("default", "Lounge", 5, List.of("main"), Map.of("join", "any"));
        assertThat(directory.updateChannel(named)).isEqualTo(Outcome.DONE);
        assertThat(directory.channel("default")).contains(named);
        assertThat(directory.createChannel(named)).isEqualTo(Outcome.TAKEN);
        assertThat(directory.channels()).containsExactly(named);
    }

    @Test
    void channelsAreCreatedOnceUpdatedListedInOrderAndRemoved() {
        ChannelRecord games = channel("games", "Games", 2);
        assertThat(directory.createChannel(games)).isEqualTo(Outcome.DONE);
        assertThat(directory.channel("games")).contains(games);
        assertThat(directory.channel("games").orElseThrow().tags()).containsExactly("b-tag", "a-tag");
        assertThat(directory.createChannel(channel("games", "Other", 1))).isEqualTo(Outcome.TAKEN);
        assertThat(directory.channel("games")).contains(games);

        ChannelRecord renamed = new ChannelRecord("games", "Play", -1, List.of(), Map.of("join", "any"));
        assertThat(directory.updateChannel(renamed)).isEqualTo(Outcome.DONE);
        assertThat(directory.channel("games")).contains(renamed);
        assertThat(directory.updateChannel(channel("nope", "Nope", 0))).isEqualTo(Outcome.NOT_FOUND);
        assertThat(directory.channel("nope")).isEmpty();

        directory.createChannel(channel("b-news", "News", 3));
        directory.createChannel(channel("a-news", "News too", 3));
        assertThat(directory.channels()).extracting(ChannelRecord::id)
                .containsExactly("games", "default", "a-news", "b-news");

        assertThat(directory.removeChannel("b-news")).isEqualTo(Outcome.DONE);
        assertThat(directory.channel("b-news")).isEmpty();
        assertThat(directory.removeChannel("b-news")).isEqualTo(Outcome.NOT_FOUND);
        assertThat(directory.channels()).extracting(ChannelRecord::id).containsExactly("games", "default", "a-news");
    }

    @Test
    void aChannelWithRoomsIsNotRemoved() {
        directory.createChannel(channel("games", "Games", 0));
        directory.createRoom(room("chess", "games", "Chess"));
        assertThat(directory.removeChannel("games")).isEqualTo(Outcome.TAKEN);
        assertThat(directory.channel("games")).isPresent();
        directory.removeRoom("chess");
        assertThat(directory.removeChannel("games")).isEqualTo(Outcome.DONE);
        assertThat(directory.createRoom(room("go", "games", "Go"))).isEqualTo(Outcome.NOT_FOUND);
    }

    @Test
    void roomsAreRegisteredOnceByIdAndByNameIgnoringCase() {
        directory.createChannel(channel("games", "Games", 0));
        RoomRecord chess = new RoomRecord("chess", "games", "Chess", RoomKind.PRIVATE, 2, null, 42L, "ann",
                Set.of("ann", "bob"), false);
        assertThat(directory.createRoom(chess)).isEqualTo(Outcome.DONE);
        assertThat(directory.room("chess")).contains(chess);

        assertThat(directory.createRoom(room("chess", "games", "Other"))).isEqualTo(Outcome.TAKEN);
        assertThat(directory.createRoom(room("chess", "default", "Other"))).isEqualTo(Outcome.TAKEN);
        assertThat(directory.createRoom(room("chess2", "games", "CHESS"))).isEqualTo(Outcome.TAKEN);
        assertThat(directory.room("chess2")).isEmpty();
        assertThat(directory.roomNamed("default", "Other")).isEmpty();
        assertThat(directory.roomsOf("default")).isEmpty();
        assertThat(directory.room("chess")).contains(chess);

        assertThat(directory.createRoom(room("chess-default", "default", "chess"))).isEqualTo(Outcome.DONE);
        assertThat(directory.roomNamed("games", "cHeSs")).contains("chess");
        assertThat(directory.roomNamed("default", "Chess")).contains("chess-default");
        assertThat(directory.roomNamed("games", "Go")).isEmpty();
        assertThat(directory.roomsOf("games")).containsExactly("chess");
        assertThat(directory.roomsOf("default")).containsExactly("chess-default");
    }

    @Test
    void aRoomOfAMissingChannelIsNotRegistered() {
        assertThat(directory.createRoom(room("chess", "nowhere", "Chess"))).isEqualTo(Outcome.NOT_FOUND);
        assertThat(directory.room("chess")).isEmpty();
        assertThat(directory.roomNamed("nowhere", "Chess")).isEmpty();
        assertThat(directory.roomsOf("nowhere")).isEmpty();
    }

    @Test
    void renamingFreesTheOldNameAndRefusesATakenOne() {
        directory.createRoom(room("a", "default", "Alpha"));
        directory.createRoom(room("b", "default", "Beta"));
        assertThat(directory.renameRoom("a", "Gamma")).isEqualTo(Outcome.DONE);
        assertThat(directory.room("a").orElseThrow().name()).isEqualTo("Gamma");
        assertThat(directory.roomNamed("default", "gamma")).contains("a");
        assertThat(directory.roomNamed("default", "Alpha")).isEmpty();
        assertThat(directory.createRoom(room("c", "default", "alpha"))).isEqualTo(Outcome.DONE);

        assertThat(directory.renameRoom("a", "BETA")).isEqualTo(Outcome.TAKEN);
        assertThat(directory.room("a").orElseThrow().name()).isEqualTo("Gamma");
        assertThat(directory.roomNamed("default", "Beta")).contains("b");
        assertThat(directory.roomNamed("default", "Gamma")).contains("a");

        assertThat(directory.renameRoom("a", "GAMMA")).isEqualTo(Outcome.DONE);
        assertThat(directory.room("a").orElseThrow().name()).isEqualTo("GAMMA");
        assertThat(directory.roomNamed("default", "gamma")).contains("a");
        assertThat(directory.renameRoom("missing", "Delta")).isEqualTo(Outcome.NOT_FOUND);
        assertThat(directory.roomNamed("default", "Delta")).isEmpty();
    }

    @Test
    void renamingKeepsEverythingButTheName() {
        RoomRecord stored = room("kept", "default", "Kept");
        directory.createRoom(stored);
        assertThat(directory.renameRoom("kept", "Still kept")).isEqualTo(Outcome.DONE);
        assertThat(directory.room("kept")).contains(new RoomRecord("kept", "default", "Still kept", stored.kind(),
                stored.capacity(), stored.topic(), stored.createdAt(), stored.createdBy(), stored.members(),
                stored.membershipEvents()));
    }

    @Test
    void updatingARoomReplacesWhatMayChangeAndKeepsTheRest() {
        RoomRecord stored = room("r", "default", "Room");
        directory.createRoom(stored);
        RoomRecord update = new RoomRecord("r", "elsewhere", "Ignored", RoomKind.EPHEMERAL, 10, null, 1L, "nobody",
                Set.of("x"), false);
        assertThat(directory.updateRoom(update)).isEqualTo(Outcome.DONE);
        assertThat(directory.room("r")).contains(new RoomRecord("r", "default", "Room", RoomKind.STATIC, 10, null,
                stored.createdAt(), "backend", Set.of("x"), false));
        assertThat(directory.updateRoom(room("missing", "default", "M"))).isEqualTo(Outcome.NOT_FOUND);
        assertThat(directory.room("missing")).isEmpty();
    }

    @Test
    void removingARoomFreesItsIdAndName() {
        directory.createRoom(room("r", "default", "Room"));
        assertThat(directory.removeRoom("r")).isEqualTo(Outcome.DONE);
        assertThat(directory.room("r")).isEmpty();
        assertThat(directory.roomNamed("default", "Room")).isEmpty();
        assertThat(directory.roomsOf("default")).isEmpty();
        assertThat(directory.removeRoom("r")).isEqualTo(Outcome.NOT_FOUND);
        assertThat(directory.createRoom(room("other", "default", "room"))).isEqualTo(Outcome.DONE);
        assertThat(directory.createRoom(room("r", "default", "Again"))).isEqualTo(Outcome.DONE);
        assertThat(directory.roomsOf("default")).containsExactlyInAnyOrder("r", "other");
    }

    @Test
    void aBatchReadAnswersTheRegisteredRoomsOnly() {
        directory.createRoom(room("a", "default", "A"));
        directory.createRoom(room("c", "default", "C"));
        Map<String, RoomRecord> found = directory.rooms(List.of("a", "b", "c", "a"));
        assertThat(found).containsOnlyKeys("a", "c");
        assertThat(found.get("c")).isEqualTo(room("c", "default", "C"));
        assertThat(directory.rooms(List.of())).isEmpty();
    }

    @Test
    void ofConcurrentCreatesOfOneNameExactlyOneWins() throws Exception {
        List<Future<Outcome>> outcomes = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 16; i++) {
                RoomRecord contender = room("r" + i, "default", i % 2 == 0 ? "Race" : "RACE");
                outcomes.add(threads.submit(() -> directory.createRoom(contender)));
            }
        }
        List<Outcome> answers = new ArrayList<>();
        for (Future<Outcome> outcome : outcomes) {
            answers.add(outcome.get());
        }
        assertThat(answers).containsOnlyOnce(Outcome.DONE);
        String winner = directory.roomNamed("default", "race").orElseThrow();
        assertThat(directory.roomsOf("default")).containsExactly(winner);
        assertThat(directory.rooms(List.of("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11",
                "r12", "r13", "r14", "r15"))).containsOnlyKeys(winner);
    }
}
