package io.dino.gateway.engine;

import io.dino.gateway.engine.Tombstones.Deletions;
import io.dino.gateway.engine.Tombstones.Mark;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every engine's tombstones do; each engine's test supplies an empty engine and a second node's view of the
 * same store (the memory engine: the same engine).
 */
public abstract class TombstonesContract {

    /** An engine with nothing stored, its broker started. */
    protected abstract Engine newEngine();

    /** The same store as another node of the cluster sees it. */
    protected abstract Engine otherNodeOf(Engine engine);

    private final List<Engine> engines = new ArrayList<>();
    private Engine engine;
    private Tombstones tombstones;
    private Tombstones elsewhere;

    @BeforeEach
    void start() {
        engine = newEngine();
        Engine other = otherNodeOf(engine);
        engines.add(engine);
        if (other != engine) {
            engines.add(other);
        }
        tombstones = engine.tombstones();
        elsewhere = other.tombstones();
    }

    @AfterEach
    void close() {
        engines.forEach(Engine::close);
    }

    private List<Publication> publish(String room, String... senders) {
        List<Publication> published = new ArrayList<>();
        for (String sender : senders) {
            published.add(engine.broker().publish(LogId.room(room), new Draft("id-" + room + "-" + published.size(), sender,
                    System.currentTimeMillis(), "\"hi\"", "")));
        }
        return published;
    }

    private static Mark mark(Publication publication) {
        return new Mark(publication.id(), publication.sender(), publication.position());
    }

    private List<String> visible(Tombstones from, String room) {
        Deletions deletions = from.read(room).get();
        return engine.broker().latest(LogId.room(room), 100).stream().filter(p -> !deletions.hides(p)).map(Publication::id).toList();
    }

    @Test
    void aRoomWithoutTombstonesReadsAsNone() {
        assertThat(tombstones.read("quiet").get()).isEqualTo(Deletions.NONE);
        assertThat(tombstones.read("quiet").get().isEmpty()).isTrue();
    }

    @Test
    void aMarkedMessageIsHiddenOnEveryNodeAndTheOthersAreNot() {
        List<Publication> sent = publish("marks", "alice", "bob", "alice");
        tombstones.deleteMessages("marks", List.of(mark(sent.get(0))));

        assertThat(visible(elsewhere, "marks")).containsExactly(sent.get(1).id(), sent.get(2).id());
        assertThat(elsewhere.read("marks").get().messages()).isEqualTo(Map.of(sent.get(0).id(), mark(sent.get(0))));
        assertThat(visible(tombstones, "other-room")).isEmpty();
    }

    @Test
    void aUsersCutoffHidesTheirMessagesUpToItAndNothingOfOthersOrLater() {
        List<Publication> sent = publish("cut", "alice", "bob", "alice");
        tombstones.deleteUserUpTo("cut", "alice", sent.get(2).position());
        List<Publication> later = publish("cut", "alice");

        assertThat(visible(elsewhere, "cut")).containsExactly(sent.get(1).id(), later.get(0).id());
    }

    @Test
    void aCutoffOnlyGrowsWithinItsEpochAndCoversNothingOfAnother() {
        List<Publication> sent = publish("grows", "alice", "alice", "alice");
        tombstones.deleteUserUpTo("grows", "alice", sent.get(2).position());
        tombstones.deleteUserUpTo("grows", "alice", sent.get(0).position());
        assertThat(elsewhere.read("grows").get().users()).isEqualTo(Map.of("alice", sent.get(2).position()));

        Position otherEpoch = new Position(sent.get(0).position().epoch() + "x", 9);
        assertThat(Deletions.covers(otherEpoch, sent.get(0).position())).isFalse();
    }

    @Test
    void theRoomsCutoffHidesEverythingUpToItForEveryone() {
        List<Publication> sent = publish("all", "alice", "bob");
        tombstones.deleteAllUpTo("all", sent.get(1).position());
        List<Publication> later = publish("all", "carol");

        assertThat(visible(elsewhere, "all")).containsExactly(later.get(0).id());
        assertThat(elsewhere.read("all").get().all()).isEqualTo(sent.get(1).position());
    }

    @Test
    void restoringAMessageAnswersWhichWereMarked() {
        List<Publication> sent = publish("unmark", "alice", "bob");
        tombstones.deleteMessages("unmark", List.of(mark(sent.get(0)), mark(sent.get(1))));

        assertThat(elsewhere.restoreMessages("unmark", List.of(sent.get(0).id(), "not-marked"))).containsExactly(sent.get(0).id());
        assertThat(visible(tombstones, "unmark")).containsExactly(sent.get(0).id());
        assertThat(tombstones.restoreMessages("unmark", List.of(sent.get(0).id()))).isEmpty();
    }

    @Test
    void restoringAUserTakesTheirCutoffAndTheirMarksAndLeavesOthers() {
        List<Publication> sent = publish("unuser", "alice", "bob", "alice", "bob");
        tombstones.deleteMessages("unuser", List.of(mark(sent.get(0)), mark(sent.get(1))));
        tombstones.deleteUserUpTo("unuser", "alice", sent.get(2).position());

        assertThat(elsewhere.restoreUser("unuser", "alice")).isTrue();
        assertThat(visible(tombstones, "unuser")).containsExactly(sent.get(0).id(), sent.get(2).id(), sent.get(3).id());
        assertThat(tombstones.restoreUser("unuser", "alice")).isFalse();
    }

    @Test
    void restoringAllTakesEveryTombstoneOfTheRoomOnly() {
        List<Publication> sent = publish("clear", "alice", "bob");
        List<Publication> kept = publish("kept", "alice");
        tombstones.deleteMessages("clear", List.of(mark(sent.get(0))));
        tombstones.deleteUserUpTo("clear", "bob", sent.get(1).position());
        tombstones.deleteAllUpTo("clear", sent.get(1).position());
        tombstones.deleteAllUpTo("kept", kept.get(0).position());

        assertThat(elsewhere.restoreAll("clear")).isTrue();
        assertThat(visible(tombstones, "clear")).containsExactly(sent.get(0).id(), sent.get(1).id());
        assertThat(tombstones.read("clear").get().isEmpty()).isTrue();
        assertThat(tombstones.restoreAll("clear")).isFalse();
        assertThat(visible(tombstones, "kept")).isEmpty();
    }

    @Test
    void aWriteDropsTombstonesOfAnotherEpoch() {
        List<Publication> sent = publish("stale", "alice");
        Position gone = new Position(sent.get(0).position().epoch() + "-old", 1);
        tombstones.deleteMessages("stale", List.of(new Mark("from-before", "alice", gone)));
        tombstones.deleteUserUpTo("stale", "bob", sent.get(0).position());

        Deletions read = elsewhere.read("stale").get();
        assertThat(read.messages()).doesNotContainKey("from-before");
        assertThat(read.users()).isEqualTo(Map.of("bob", sent.get(0).position()));
    }
}
