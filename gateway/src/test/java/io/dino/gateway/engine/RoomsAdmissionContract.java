package io.dino.gateway.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What {@link Rooms#enter} does with a room's capacity and its membership-events switch, the same for every engine:
 * a full room refuses a new user and changes nothing; a user already in it is not counted twice; concurrent joins
 * never overfill it; a room without membership events announces no join.
 */
public abstract class RoomsAdmissionContract {

    /** A fresh engine with empty state, for a node named {@code node}. */
    protected abstract Engine newEngine(String node);

    private Engine engine;
    private RecordingListener listener;

    @BeforeEach
    void startEngine() {
        engine = newEngine("node-a");
        listener = new RecordingListener();
        engine.broker().start(listener);
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    private Rooms.Entered enter(String room, String session, String user, int capacity, boolean announce) {
        return enter(room, session, user, capacity, announce, false);
    }

    private Rooms.Entered enter(String room, String session, String user, int capacity, boolean announce, boolean subscribe) {
        return engine.rooms().enter(room, new SessionRef("node-a", session, user), subscribe, Optional.empty(), 100, false,
                capacity, announce);
    }

    @Test
    void aFullRoomRefusesANewUserAndChangesNothing() {
        enter("pod", "a1", "ann", 2, true);
        enter("pod", "b1", "bob", 2, true);

        assertThatThrownBy(() -> enter("pod", "c1", "cid", 2, true))
                .isInstanceOfSatisfying(RoomFullException.class, e -> assertThat(e.capacity()).isEqualTo(2))
                .hasMessage("room 'pod' is full (2 users)");
        assertThat(engine.presence().members("pod")).containsExactly("ann", "bob");
        assertThat(engine.presence().roomsOfUsers(List.of("cid")).get("cid")).isEmpty();

        engine.presence().leave("pod", new SessionRef("node-a", "b1", "bob"));
        assertThat(enter("pod", "c1", "cid", 2, true).members()).containsExactly("ann", "cid");
    }

    @Test
    void aUserAlreadyInTheRoomIsNotCountedTwice() {
        enter("pod", "a1", "ann", 2, true);
        enter("pod", "b1", "bob", 2, true);

        Rooms.Entered again = enter("pod", "a2", "ann", 2, true);

        assertThat(again.members()).containsExactly("ann", "bob");
    }

    @Test
    void noCapacityMeansNoLimit() {
        for (int i = 0; i < 5; i++) {
            enter("hall", "s" + i, "user" + i, 0, true);
        }
        assertThat(engine.presence().members("hall")).hasSize(5);
    }

    @Test
    void concurrentJoinsNeverOverfillTheRoom() throws Exception {
        List<Callable<Boolean>> joins = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String user = "user" + i;
            joins.add(() -> {
                try {
                    enter("tiny", "s-" + user, user, 3, true);
                    return true;
                } catch (RoomFullException e) {
                    return false;
                }
            });
        }
        int admitted = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(12)) {
            for (Future<Boolean> joined : pool.invokeAll(joins)) {
                admitted += joined.get() ? 1 : 0;
            }
        }
        assertThat(admitted).isEqualTo(3);
        assertThat(engine.presence().members("tiny")).hasSize(3);
    }

    @Test
    void aRoomWithoutMembershipEventsAnnouncesNoJoin() {
        enter("quiet", "q1", "quinn", 0, false, true);
        enter("loud", "l1", "lou", 0, true, true);

        // the second announcement arrives after the first would have (one inbox, in order)
        await().atMost(Duration.ofSeconds(5)).until(() -> listener.memberships.contains("loud lou joined"));
        assertThat(listener.memberships).noneMatch(m -> m.startsWith("quiet "));
        assertThat(engine.presence().members("quiet")).containsExactly("quinn");
    }
}
