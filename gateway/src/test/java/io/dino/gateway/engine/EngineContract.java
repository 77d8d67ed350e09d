package io.dino.gateway.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The behaviour every engine must have, whatever stores its state. An engine's test extends this
 * class and supplies {@link #newEngine}; nothing else may differ between engines.
 */
public abstract class EngineContract {

    /** A fresh engine with empty state, for a node named {@code node}; logs keep publications for {@code maxAge} (zero: no limit). */
    protected abstract Engine newEngine(String node, Duration maxAge);

    private Engine engine;
    private RecordingListener listener;

    @BeforeEach
    void startEngine() {
        engine = newEngine("node-a", Duration.ZERO);
        listener = new RecordingListener();
        engine.broker().start(listener);
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    @Test
    void offsetsStartAtOneAndAreContiguousPerLog() {
        LogId room = LogId.room("contiguous");
        LogId other = LogId.room("other");
        assertThat(engine.broker().top(room).offset()).isZero();

        Publication first = engine.broker().publish(room, draft("1"));
        Publication second = engine.broker().publish(room, draft("2"));
        Publication elsewhere = engine.broker().publish(other, draft("x"));

        assertThat(first.position().offset()).isEqualTo(1);
        assertThat(second.position().offset()).isEqualTo(2);
        assertThat(second.position().epoch()).isEqualTo(first.position().epoch());
        assertThat(elsewhere.position().offset()).isEqualTo(1);
        assertThat(engine.broker().top(room)).isEqualTo(second.position());
    }

    @Test
    void subscribedLogsAreDeliveredInOffsetOrderAndOthersNotAtAll() {
        LogId room = LogId.room("delivered");
        LogId inbox = LogId.user("someone");
        LogId unwatched = LogId.room("unwatched");
        engine.broker().subscribe(room);
        engine.broker().subscribe(inbox);

        for (int i = 0; i < 50; i++) {
            engine.broker().publish(room, draft(Integer.toString(i)));
        }
        engine.broker().publish(inbox, draft("\"private\""));
        engine.broker().publish(unwatched, draft("\"nobody listens\""));

        await().until(() -> listener.publications.size() == 51);
        assertThat(listener.offsetsOf(room)).isEqualTo(range(1, 50));
        assertThat(listener.offsetsOf(inbox)).containsExactly(1L);
        assertThat(listener.offsetsOf(unwatched)).isEmpty();
    }

    @Test
    void unsubscribedLogsStopBeingDelivered() {
        LogId room = LogId.room("left");
        engine.broker().subscribe(room);
        engine.broker().publish(room, draft("1"));
        await().until(() -> listener.publications.size() == 1);

        engine.broker().unsubscribe(room);
        engine.broker().publish(room, draft("2"));
        engine.broker().subscribe(room);
        engine.broker().publish(room, draft("3"));

        await().until(() -> listener.offsetsOf(room).contains(3L));
        assertThat(listener.offsetsOf(room)).containsExactly(1L, 3L);
    }

    @Test
    void concurrentPublishersGetDistinctContiguousOffsetsDeliveredInOrder() throws Exception {
        LogId room = LogId.room("concurrent");
        engine.broker().subscribe(room);
        int publishers = 8;
        int each = 100;
        List<Future<List<Long>>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(publishers)) {
            for (int p = 0; p < publishers; p++) {
                results.add(pool.submit(() -> {
                    List<Long> offsets = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        offsets.add(engine.broker().publish(room, draft("0")).position().offset());
                    }
                    return offsets;
                }));
            }
        }
        List<Long> assigned = new ArrayList<>();
        for (Future<List<Long>> result : results) {
            assigned.addAll(result.get());
        }
        Collections.sort(assigned);
        assertThat(assigned).isEqualTo(range(1, publishers * each));
        await().until(() -> listener.offsetsOf(room).size() == publishers * each);
        assertThat(listener.offsetsOf(room)).isEqualTo(range(1, publishers * each));
    }

    @Test
    void aRepeatedIdempotencyKeyStoresOnceAndReturnsTheFirstPublication() {
        LogId room = LogId.room("idempotent");
        engine.broker().subscribe(room);
        Publication first = engine.broker().publish(room, new Draft("id-1", "backend", System.currentTimeMillis(), "1", "key-1"));
        Publication repeated = engine.broker().publish(room, new Draft("id-2", "backend", 2, "2", "key-1"));
        Publication sameKeyOtherLog = engine.broker().publish(LogId.room("elsewhere"), new Draft("id-3", "b", 3, "3", "key-1"));

        assertThat(repeated).isEqualTo(first);
        assertThat(sameKeyOtherLog.position().offset()).isEqualTo(1);
        assertThat(engine.broker().latest(room, 10)).containsExactly(first);
        await().until(() -> listener.offsetsOf(room).size() == 1);
    }

    @Test
    void aRetriedPublishReturnsExactlyTheFirstAnswerAlsoAfterTheLogExpiredOrStartedANewEpoch() {
        try (Engine aged = newEngine("node-b", Duration.ofSeconds(1))) {
            aged.broker().start(new RecordingListener());
            LogId room = LogId.room("retried");
            Publication first = aged.broker().publish(room, new Draft("id-1", "backend", System.currentTimeMillis(), "1", "key-1"));
            await().atMost(Duration.ofSeconds(20)).until(() -> aged.broker().top(room).equals(Position.EMPTY));

            assertThat(aged.broker().publish(room, new Draft("id-2", "backend", System.currentTimeMillis(), "1", "key-1"))).isEqualTo(first);
            assertThat(aged.broker().top(room)).as("a retry stores nothing").isEqualTo(Position.EMPTY);
            Publication other = aged.broker().publish(room, draft("2"));
            assertThat(other.position().epoch()).isNotEqualTo(first.position().epoch());
            assertThat(aged.broker().publish(room, new Draft("id-3", "backend", System.currentTimeMillis(), "1", "key-1"))).isEqualTo(first);
            assertThat(aged.broker().latest(room, 10)).containsExactly(other);
        }
    }

    @Test
    void latestReturnsTheNewestPublicationsOldestFirst() {
        LogId room = LogId.room("history");
        for (int i = 1; i <= 5; i++) {
            engine.broker().publish(room, draft(Integer.toString(i)));
        }
        assertThat(engine.broker().latest(room, 3)).extracting(Publication::bodyJson).containsExactly("3", "4", "5");
        assertThat(engine.broker().latest(room, 10)).hasSize(5);
        assertThat(engine.broker().latest(LogId.room("empty"), 10)).isEmpty();
    }

    @Test
    void historyPagesBackAndForthByOffset() {
        LogId room = LogId.room("paging");
        for (int i = 1; i <= 10; i++) {
            engine.broker().publish(room, draft(Integer.toString(i)));
        }
        assertThat(engine.broker().before(room, 8, 3)).extracting(p -> p.position().offset()).containsExactly(5L, 6L, 7L);
        assertThat(engine.broker().before(room, 2, 3)).extracting(p -> p.position().offset()).containsExactly(1L);
        assertThat(engine.broker().after(room, 6, 3)).extracting(p -> p.position().offset()).containsExactly(7L, 8L, 9L);
        assertThat(engine.broker().after(room, 9, 3)).extracting(p -> p.position().offset()).containsExactly(10L);
        assertThat(engine.broker().after(room, 10, 3)).isEmpty();
    }

    @Test
    void recoveryReturnsExactlyWhatFollowsAPositionOrSaysItCannot() {
        LogId room = LogId.room("recovery");
        String epoch = engine.broker().publish(room, draft("1")).position().epoch();
        for (int i = 2; i <= 5; i++) {
            engine.broker().publish(room, draft(Integer.toString(i)));
        }
        Recovery twoMissed = engine.broker().recover(room, new Position(epoch, 3), 100);
        assertThat(twoMissed.recovered()).isTrue();
        assertThat(twoMissed.missed()).extracting(p -> p.position().offset()).containsExactly(4L, 5L);
        assertThat(twoMissed.top().offset()).isEqualTo(5);
        assertThat(engine.broker().recover(room, new Position(epoch, 5), 100).missed()).isEmpty();
        assertThat(engine.broker().recover(room, new Position("another-epoch", 3), 100).recovered()).isFalse();
        Recovery tooMany = engine.broker().recover(room, new Position(epoch, 0), 4);
        assertThat(tooMany.recovered()).isFalse();
        assertThat(tooMany.missed()).isEmpty();
    }

    @Test
    void aLogWithoutPublicationsHasNoEpochAndReadingItChangesNothing() {
        LogId room = LogId.room("made-up");
        assertThat(engine.broker().top(room)).isEqualTo(Position.EMPTY);
        assertThat(engine.broker().latest(room, 10)).isEmpty();
        assertThat(engine.broker().after(room, 0, 10)).isEmpty();
        assertThat(engine.broker().recover(room, Position.EMPTY, 100)).isEqualTo(new Recovery(true, List.of(), Position.EMPTY));
        assertThat(engine.broker().recover(room, new Position("gone", 3), 100)).isEqualTo(Recovery.notRecovered(Position.EMPTY));
        engine.broker().subscribe(room);
        engine.broker().unsubscribe(room);
        assertThat(engine.broker().top(room)).isEqualTo(Position.EMPTY);

        Publication first = engine.broker().publish(room, draft("1"));

        assertThat(first.position().epoch()).isNotEmpty();
        assertThat(first.position().offset()).isEqualTo(1);
        assertThat(engine.broker().top(room)).isEqualTo(first.position());
    }

    @Test
    void recoveryFromBeforeTheFirstPublicationReturnsTheWholeEpoch() {
        LogId room = LogId.room("joined-empty");
        Position joined = engine.broker().top(room);
        engine.broker().subscribe(room);
        List<Publication> published = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            published.add(engine.broker().publish(room, draft(Integer.toString(i))));
        }

        Recovery everything = engine.broker().recover(room, joined, 100);

        assertThat(joined).isEqualTo(Position.EMPTY);
        assertThat(everything).isEqualTo(new Recovery(true, published, published.getLast().position()));
        assertThat(engine.broker().recover(room, joined, 2)).isEqualTo(Recovery.notRecovered(published.getLast().position()));
        // no epoch and a non-zero offset names no place in any log
        assertThat(engine.broker().recover(room, new Position("", 1), 100).recovered()).isFalse();
        await().until(() -> listener.offsetsOf(room).size() == 3);
        assertThat(listener.publications).containsExactlyElementsOf(published);
    }

    @Test
    void publicationsOlderThanTheMaximumAgeLeaveTheLog() {
        try (Engine aged = newEngine("node-b", Duration.ofMinutes(1))) {
            aged.broker().start(new RecordingListener());
            LogId room = LogId.room("aging");
            long now = System.currentTimeMillis();
            aged.broker().publish(room, new Draft("old-1", "s", now - 120_000, "1", ""));
            aged.broker().publish(room, new Draft("old-2", "s", now - 90_000, "2", ""));
            aged.broker().publish(room, new Draft("new-3", "s", now, "3", ""));

            assertThat(aged.broker().latest(room, 10)).extracting(Publication::id).containsExactly("new-3");
            assertThat(aged.broker().top(room).offset()).isEqualTo(3);
        }
    }

    @Test
    void aLogIdleForLongerThanItsRetentionIsForgottenAndStartsANewEpoch() {
        try (Engine aged = newEngine("node-b", Duration.ofSeconds(1))) {
            aged.broker().start(new RecordingListener());
            LogId room = LogId.room("idle");
            Publication first = aged.broker().publish(room, draft("1"));
            Publication second = aged.broker().publish(room, draft("2"));
            assertThat(aged.broker().top(room)).isEqualTo(second.position());

            await().atMost(Duration.ofSeconds(20)).until(() -> aged.broker().top(room).equals(Position.EMPTY));

            assertThat(aged.broker().latest(room, 10)).isEmpty();
            assertThat(aged.broker().recover(room, second.position(), 100)).isEqualTo(Recovery.notRecovered(Position.EMPTY));
            Publication reborn = aged.broker().publish(room, draft("3"));
            assertThat(reborn.position().offset()).isEqualTo(1);
            assertThat(reborn.position().epoch()).isNotEmpty().isNotEqualTo(first.position().epoch());
            assertThat(aged.broker().recover(room, first.position(), 100).recovered()).isFalse();
            assertThat(aged.broker().latest(room, 10)).containsExactly(reborn);
        }
    }

    @Test
    void broadcastsReachTheListenerWithoutSubscription() {
        Publication broadcast = new Publication("b-1", null, "system", 1, null, "\"all\"");
        engine.broker().broadcast(broadcast);
        await().until(() -> listener.broadcasts.contains(broadcast));
    }

    @Test
    void roomRulesAreKeptPerRoomReplacedWholeAndRemovedByAnEmptyMap() {
        RoomAcls acls = engine.acls();
        assertThat(acls.get("ruled")).isEmpty();
        acls.set("ruled", java.util.Map.of("join", "age=18:", "message", "role=speaker"));
        acls.set("other", java.util.Map.of("history", "deny"));
        assertThat(acls.get("ruled")).isEqualTo(java.util.Map.of("join", "age=18:", "message", "role=speaker"));

        acls.set("ruled", java.util.Map.of("members", "group=staff;ops", "join", "(a=1|b=ü),c=!x"));
        assertThat(acls.get("ruled")).as("replaced, not merged")
                .isEqualTo(java.util.Map.of("members", "group=staff;ops", "join", "(a=1|b=ü),c=!x"));
        acls.set("ruled", java.util.Map.of());
        assertThat(acls.get("ruled")).isEmpty();
        assertThat(acls.get("other")).isEqualTo(java.util.Map.of("history", "deny"));
    }

    @Test
    void roomRulesOutliveTheRoomsLogAndPresence() {
        engine.acls().set("lasting", java.util.Map.of("join", "deny"));
        engine.broker().publish(LogId.room("lasting"), draft("1"));
        SessionRef session = new SessionRef("node-a", "s1", "ann");
        engine.presence().connect(session);
        engine.presence().join("lasting", session);
        engine.presence().leave("lasting", session);
        assertThat(engine.acls().get("lasting")).isEqualTo(java.util.Map.of("join", "deny"));
    }

    @Test
    void aRoomRuleChangeReachesTheNodeHoldingTheRoomThroughTheControlPlane() {
        LogId room = LogId.room("held");
        engine.broker().subscribe(room);
        Control changed = new Control.RoomAclChanged("held", java.util.Map.of("join", "country=de;at", "message", "deny"));
        listener.sessionsAffected = 2;
        assertThat(engine.broker().control(room, changed)).isEqualTo(2);
        assertThat(listener.controls).containsExactly(changed);
    }

    @Test
    void membershipAnnouncementsReachSubscribersOfTheRoom() {
        engine.broker().subscribe(LogId.room("watched"));
        engine.broker().announceMembership("watched", "ann", true);
        engine.broker().announceMembership("unwatched", "bob", true);
        engine.broker().announceMembership("watched", "ann", false);
        await().until(() -> listener.memberships.size() == 2);
        assertThat(listener.memberships).containsExactly("watched ann joined", "watched ann left");
    }

    @Test
    void enteringARoomAnnouncesTheFirstSessionOnlyAndAnswersPositionMembersAndRecovery() {
        LogId room = LogId.room("entered");
        Publication first = engine.broker().publish(room, draft("1"));
        engine.broker().publish(room, draft("2"));
        SessionRef tab1 = new SessionRef("node-a", "t1", "ann");
        SessionRef tab2 = new SessionRef("node-a", "t2", "ann");

        Rooms.Entered entered = engine.rooms().enter("entered", tab1, true, java.util.Optional.of(first.position()), 100, false);
        Rooms.Entered again = engine.rooms().enter("entered", tab2, false, java.util.Optional.empty(), 100, false);
        Rooms.Entered other = engine.rooms().enter("entered", new SessionRef("node-a", "b1", "bob"), false,
                java.util.Optional.of(new Position("another-epoch", 1)), 100, false);

        assertThat(entered.top()).isEqualTo(new Position(first.position().epoch(), 2));
        assertThat(entered.members()).containsExactly("ann");
        assertThat(entered.recovery()).hasValueSatisfying(recovery -> {
            assertThat(recovery.recovered()).isTrue();
            assertThat(recovery.missed()).extracting(p -> p.position().offset()).containsExactly(2L);
        });
        assertThat(again.recovery()).isEmpty();
        assertThat(other.members()).containsExactly("ann", "bob");
        assertThat(other.recovery()).hasValueSatisfying(recovery -> assertThat(recovery.recovered()).isFalse());
        await().until(() -> listener.memberships.size() == 2);
        assertThat(listener.memberships).containsExactly("entered ann joined", "entered bob joined");
        Publication third = engine.broker().publish(room, draft("3"));
        await().until(() -> listener.offsetsOf(room).contains(third.position().offset()));  // subscribed by the first entry
    }

    @Test
    void publishingToEachOfSeveralLogsAppendsToEachInOrderAndRepeatsNothing() {
        LogId ann = LogId.user("ann");
        LogId bob = LogId.user("bob");
        engine.broker().publish(bob, draft("earlier"));
        java.util.LinkedHashMap<LogId, Draft> drafts = new java.util.LinkedHashMap<>();
        drafts.put(ann, new Draft("n-ann", "sys", 1, "\"hi\"", "key-1"));
        drafts.put(bob, new Draft("n-bob", "sys", 1, "\"hi\"", "key-1"));

        List<Publication> stored = engine.broker().publishEach(drafts);
        List<Publication> retried = engine.broker().publishEach(drafts);

        assertThat(stored).extracting(Publication::log).containsExactly(ann, bob);
        assertThat(stored).extracting(p -> p.position().offset()).containsExactly(1L, 2L);
        assertThat(stored).extracting(Publication::id).containsExactly("n-ann", "n-bob");
        assertThat(retried).isEqualTo(stored);
        assertThat(engine.broker().top(bob).offset()).isEqualTo(2);
    }

    @Test
    void aWhispersRoomAndRecipientsTravelWithItThroughDeliveryHistoryAndRecovery() {
        LogId bob = LogId.user("bob");
        engine.broker().subscribe(bob);
        Whisper whisper = new Whisper("lobby", List.of("bob", "cy"));
        java.util.LinkedHashMap<LogId, Draft> drafts = new java.util.LinkedHashMap<>();
        drafts.put(LogId.user("ann"), new Draft("w-ann", "ann", 5, "\"psst\"", "", whisper));
        drafts.put(bob, new Draft("w-bob", "ann", 5, "\"psst\"", "", whisper));
        Publication plain = engine.broker().publish(bob, draft("plain"));

        Publication stored = engine.broker().publishEach(drafts).get(1);

        assertThat(stored.whisper()).isEqualTo(whisper);
        await().until(() -> listener.offsetsOf(bob).contains(stored.position().offset()));
        assertThat(listener.publications).filteredOn(p -> p.id().equals("w-bob")).singleElement()
                .extracting(Publication::whisper).isEqualTo(whisper);
        assertThat(engine.broker().latest(bob, 10)).extracting(Publication::whisper).containsExactly(null, whisper);
        assertThat(engine.broker().recover(bob, plain.position(), 10).missed()).singleElement()
                .extracting(Publication::whisper).isEqualTo(whisper);
    }

    @Test
    void roomsOfUsersFollowsEverySessionsJoinsAndLeavesHiddenIncluded() {
        PresenceStore presence = engine.presence();
        SessionRef tab1 = new SessionRef("node-a", "w1", "walt");
        SessionRef tab2 = new SessionRef("node-b", "w2", "walt");
        SessionRef hidden = new SessionRef("node-a", "w3", "vera");
        engine.rooms().enter("porch", tab1, false, java.util.Optional.empty(), 100, false);
        engine.rooms().enter("porch", tab2, false, java.util.Optional.empty(), 100, false);
        presence.join("cellar", tab2);
        engine.rooms().enter("cellar", hidden, false, java.util.Optional.empty(), 100, true);

        java.util.Map<String, List<String>> byUser = presence.roomsOfUsers(List.of("walt", "nobody-here", "vera", "walt"));
        assertThat(byUser.keySet()).containsExactly("walt", "nobody-here", "vera");
        assertThat(byUser.get("walt")).containsExactly("cellar", "porch");
        assertThat(byUser.get("nobody-here")).isEmpty();
        assertThat(byUser.get("vera")).containsExactly("cellar");

        presence.leave("porch", tab1);  // walt's other session is still there
        assertThat(presence.roomsOfUsers(List.of("walt")).get("walt")).containsExactly("cellar", "porch");
        presence.leave("porch", tab2);
        presence.leave("porch", tab2);  // a repeated leave changes nothing
        assertThat(presence.roomsOfUsers(List.of("walt")).get("walt")).containsExactly("cellar");
        presence.leave("cellar", tab2);
        presence.leave("cellar", hidden);
        assertThat(presence.roomsOfUsers(List.of("walt", "vera")))
                .containsExactly(java.util.Map.entry("walt", List.of()), java.util.Map.entry("vera", List.of()));
    }

    @Test
    void membersOfRoomsListsEachRoomAskedWithHiddenMembersAndEmptyRooms() {
        PresenceStore presence = engine.presence();
        SessionRef ann = new SessionRef("node-a", "m1", "ann");
        SessionRef ghost = new SessionRef("node-b", "m2", "ghost");
        presence.join("lobby", ann);
        presence.join("lobby", ghost);
        presence.join("kitchen", ghost);
        assertThat(presence.setHidden("lobby", "ghost", true)).isTrue();

        java.util.Map<String, List<String>> byRoom = presence.membersOfRooms(List.of("lobby", "nobody-here", "kitchen", "lobby"));
        assertThat(byRoom.keySet()).containsExactly("lobby", "nobody-here", "kitchen");
        assertThat(byRoom.get("lobby")).containsExactly("ann", "ghost");
        assertThat(byRoom.get("nobody-here")).isEmpty();
        assertThat(byRoom.get("kitchen")).containsExactly("ghost");

        presence.leave("kitchen", ghost);
        assertThat(presence.membersOfRooms(List.of("kitchen"))).containsExactly(java.util.Map.entry("kitchen", List.of()));
        assertThat(presence.membersOfRooms(List.of())).isEmpty();
    }

    @Test
    void presenceCountsUsersOnceAcrossTheirSessions() {
        PresenceStore presence = engine.presence();
        SessionRef tab1 = new SessionRef("node-a", "s1", "ann");
        SessionRef tab2 = new SessionRef("node-a", "s2", "ann");
        SessionRef bob = new SessionRef("node-a", "s3", "bob");

        assertThat(presence.connect(tab1)).isTrue();
        assertThat(presence.connect(tab2)).isFalse();
        assertThat(presence.connect(bob)).isTrue();
        assertThat(presence.onlineUsers()).containsExactly("ann", "bob");
        assertThat(presence.online(List.of("bob", "carl"))).containsExactly("bob");

        assertThat(presence.join("room", tab1)).isTrue();
        assertThat(presence.join("room", tab2)).isFalse();
        assertThat(presence.join("room", bob)).isTrue();
        assertThat(presence.members("room")).containsExactly("ann", "bob");
        assertThat(presence.leave("room", tab1)).isFalse();
        assertThat(presence.members("room")).containsExactly("ann", "bob");
        assertThat(presence.leave("room", tab2)).isTrue();
        assertThat(presence.leave("room", tab2)).isFalse();
        assertThat(presence.members("room")).containsExactly("bob");

        assertThat(presence.disconnect(tab1)).isFalse();
        assertThat(presence.disconnect(tab2)).isTrue();
        assertThat(presence.onlineUsers()).containsExactly("bob");
    }

    @Test
    void statusIsPerUserSetOnlyWhileOnlineAndForgottenWithTheLastSession() {
        PresenceStore presence = engine.presence();
        SessionRef tab1 = new SessionRef("node-a", "s1", "ann");
        SessionRef tab2 = new SessionRef("node-a", "s2", "ann");

        assertThat(presence.setStatus("ann", UserStatus.AWAY)).isFalse();  // offline: nothing stored
        assertThat(presence.presence(List.of("ann")).getFirst().status()).isEqualTo(UserStatus.OFFLINE);

        presence.connect(tab1);
        presence.connect(tab2);
        assertThat(presence.presence(List.of("ann")).getFirst().status()).isEqualTo(UserStatus.ONLINE);
        assertThat(presence.setStatus("ann", UserStatus.INVISIBLE)).isTrue();
        assertThat(presence.presence(List.of("ann")).getFirst().status()).isEqualTo(UserStatus.INVISIBLE);
        presence.disconnect(tab1);  // another session remains: the status stays
        assertThat(presence.presence(List.of("ann")).getFirst().status()).isEqualTo(UserStatus.INVISIBLE);
        assertThat(presence.setStatus("ann", UserStatus.AWAY)).isTrue();
        assertThat(presence.presence(List.of("ann")).getFirst().status()).isEqualTo(UserStatus.AWAY);
        assertThat(presence.setStatus("ann", UserStatus.ONLINE)).isTrue();
        assertThat(presence.presence(List.of("ann")).getFirst().status()).isEqualTo(UserStatus.ONLINE);
        presence.setStatus("ann", UserStatus.AWAY);

        presence.disconnect(tab2);
        assertThat(presence.presence(List.of("ann")).getFirst().status()).isEqualTo(UserStatus.OFFLINE);
        presence.connect(tab1);  // a new first session starts online
        assertThat(presence.presence(List.of("ann")).getFirst().status()).isEqualTo(UserStatus.ONLINE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> presence.setStatus("ann", UserStatus.OFFLINE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hiddenMembersAreMarkedPerRoomAndTheMarkGoesWithTheUsersLastSessionThere() {
        PresenceStore presence = engine.presence();
        SessionRef ghost1 = new SessionRef("node-a", "g1", "ghost");
        SessionRef ghost2 = new SessionRef("node-a", "g2", "ghost");
        SessionRef bob = new SessionRef("node-a", "b1", "bob");
        engine.broker().subscribe(LogId.room("hall"));

        Rooms.Entered first = engine.rooms().enter("hall", ghost1, false, java.util.Optional.empty(), 100, true);
        assertThat(first.members()).containsExactly("ghost");
        assertThat(first.hidden()).containsExactly("ghost");
        Rooms.Entered second = engine.rooms().enter("hall", bob, false, java.util.Optional.empty(), 100, false);
        assertThat(second.members()).containsExactly("bob", "ghost");
        assertThat(second.hidden()).containsExactly("ghost");
        await().until(() -> listener.memberships.size() == 2);
        assertThat(listener.memberships).containsExactly("hall ghost joined for OPERATORS", "hall bob joined");
        assertThat(presence.visibleMembers("hall")).containsExactly("bob");
        assertThat(presence.members("hall")).containsExactly("bob", "ghost");

        assertThat(presence.setHidden("hall", "ghost", true)).as("already hidden").isFalse();
        assertThat(presence.setHidden("hall", "ghost", false)).isTrue();
        assertThat(presence.setHidden("hall", "ghost", false)).isFalse();
        assertThat(presence.visibleMembers("hall")).containsExactly("bob", "ghost");
        assertThat(presence.setHidden("hall", "ghost", true)).isTrue();
        assertThat(presence.setHidden("hall", "nobody", true)).as("not in the room: nothing stored").isFalse();
        assertThat(presence.visibleMembers("hall")).containsExactly("bob");

        engine.rooms().enter("hall", ghost2, false, java.util.Optional.empty(), 100, true);
        assertThat(presence.leave("hall", ghost1)).isFalse();
        assertThat(presence.visibleMembers("hall")).containsExactly("bob");
        assertThat(presence.leave("hall", ghost2)).isTrue();
        // the mark went with the last session: a visible rejoin is visible
        engine.rooms().enter("hall", ghost1, false, java.util.Optional.empty(), 100, false);
        assertThat(presence.visibleMembers("hall")).containsExactly("bob", "ghost");
    }

    @Test
    void lastOnlineIsRecordedWhenTheLastSessionEnds() {
        PresenceStore presence = engine.presence();
        SessionRef tab1 = new SessionRef("node-a", "s1", "ann");
        SessionRef tab2 = new SessionRef("node-a", "s2", "ann");
        List<String> asked = List.of("bob", "ann", "nobody", "bob");

        presence.connect(tab1);
        presence.connect(tab2);
        presence.connect(new SessionRef("node-a", "s3", "bob"));
        assertThat(presence.presence(asked)).extracting(UserPresence::user).containsExactly("bob", "ann", "nobody", "bob");
        assertThat(presence.presence(asked)).allSatisfy(p -> assertThat(p.lastOnline()).isEmpty());

        long before = System.currentTimeMillis();
        presence.disconnect(tab1);
        assertThat(presence.presence(List.of("ann")).getFirst().lastOnline()).isEmpty();  // still online
        presence.disconnect(tab2);
        long after = System.currentTimeMillis();

        List<UserPresence> read = presence.presence(asked);
        assertThat(read.get(1).status()).isEqualTo(UserStatus.OFFLINE);
        assertThat(read.get(1).lastOnline().orElseThrow()).isBetween(before, after);
        assertThat(read.get(0).status()).isEqualTo(UserStatus.ONLINE);
        assertThat(read.get(2)).isEqualTo(new UserPresence("nobody", UserStatus.OFFLINE, java.util.OptionalLong.empty()));
        assertThat(read.get(3)).isEqualTo(read.get(0));

        presence.connect(tab1);  // online again: the last time stays until this session ends
        assertThat(presence.presence(List.of("ann")).getFirst().lastOnline()).isEqualTo(read.get(1).lastOnline());
    }

    private static Draft draft(String body) {
        return new Draft("id-" + System.nanoTime(), "tester", System.currentTimeMillis(), body, "");
    }

    private static List<Long> range(long first, long last) {
        return java.util.stream.LongStream.rangeClosed(first, last).boxed().toList();
    }
}
