package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.Engine;
import io.dino.gateway.engine.EngineContract;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Draft;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.engine.Recovery;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The memory engine passes the engine contract, plus its own retention bound. */
class MemoryEngineTest extends EngineContract {

    @Override
    protected Engine newEngine(String node, Duration maxAge) {
        return new Engine("memory", new MemoryBroker("epoch-1", 100, maxAge, Long.MAX_VALUE,
                new IdempotencyCache(Duration.ofMinutes(5), 1000, InstantSource.system()), InstantSource.system()),
                new MemoryPresenceStore(InstantSource.system()), new io.dino.gateway.engine.memory.MemoryRoomAcls(),
                new MemoryRoles(), new MemoryDirectory(), new MemoryRevocations(InstantSource.system()));
    }

    @Test
    void aLogKeepsOnlyTheConfiguredNumberOfRecentPublications() {
        MemoryBroker broker = new MemoryBroker("e", 3, Duration.ZERO, Long.MAX_VALUE,
                new IdempotencyCache(Duration.ofMinutes(1), 10, InstantSource.system()), InstantSource.system());
        for (int i = 1; i <= 5; i++) {
            broker.publish(LogId.room("r"), new Draft("id" + i, "s", i, Integer.toString(i), ""));
        }
        assertThat(broker.latest(LogId.room("r"), 10)).extracting(p -> p.position().offset()).containsExactly(3L, 4L, 5L);
        assertThat(broker.top(LogId.room("r")).offset()).isEqualTo(5);
    }

    @Test
    void logsIdleLongerThanTheirLifetimeAreRemovedEvenIfNobodyUsesThemAgain() {
        AtomicLong now = new AtomicLong(1_000_000);
        InstantSource clock = () -> Instant.ofEpochMilli(now.get());
        // max-age 10 s: a log lives 20 s after its last publication
        MemoryBroker broker = new MemoryBroker("e", 3, Duration.ofSeconds(10), Long.MAX_VALUE, new IdempotencyCache(Duration.ofMinutes(1), 10, clock), clock);
        for (int i = 0; i < 1000; i++) {
            broker.publish(LogId.room("churn-" + i), new Draft("id" + i, "s", now.get(), "1", ""));
        }
        now.addAndGet(15_000);
        Publication kept = broker.publish(LogId.room("kept"), new Draft("k1", "s", now.get(), "1", ""));
        now.addAndGet(5_000);
        assertThat(broker.top(LogId.room("churn-0")).offset()).as("20 s idle: still within its lifetime").isEqualTo(1);

        now.addAndGet(1);
        broker.publish(LogId.room("kept"), new Draft("k2", "s", now.get(), "2", ""));

        assertThat(broker.logCount()).as("the sweep removed the idle logs").isEqualTo(1);
        assertThat(broker.top(LogId.room("kept"))).isEqualTo(new Position(kept.position().epoch(), 2));
    }

    @Test
    void readingLogsThatHaveNoPublicationsStoresNothing() {
        MemoryBroker broker = new MemoryBroker("e", 3, Duration.ZERO, Long.MAX_VALUE,
                new IdempotencyCache(Duration.ofMinutes(1), 10, InstantSource.system()), InstantSource.system());
        for (int i = 0; i < 100; i++) {
            LogId log = LogId.room("made-up-" + i);
            broker.top(log);
            broker.latest(log, 10);
            broker.recover(log, Position.EMPTY, 10);
            broker.recover(log, new Position("old", 4), 10);
            broker.subscribe(log);
            broker.unsubscribe(log);
        }
        assertThat(broker.logCount()).isZero();
    }

    // ---- the memory budget: 1000-byte bodies cost 1000 + 256 bytes each, so a budget of 12,560 keeps ten

    private static final String BODY = "\"" + "x".repeat(998) + "\"";
    private static final long TEN_MESSAGES = 10 * (1000 + MemoryBudget.MESSAGE_BYTES);

    @Test
    void allLogsTogetherKeepAtMostTheBudgetAndTheOldestMessagesGoFirst() {
        MemoryBroker broker = budgetBroker(1000, TEN_MESSAGES);
        // private messages to 100 made-up users: one log each
        for (int i = 0; i < 100; i++) {
            broker.publish(LogId.user("made-up-" + i), new Draft("id" + i, "s", i, BODY, ""));
        }
        for (int i = 0; i < 100; i++) {
            LogId log = LogId.user("made-up-" + i);
            assertThat(broker.latest(log, 10)).as("%s keeps its message", log).hasSize(i < 90 ? 0 : 1);
            assertThat(broker.top(log).offset()).as("an evicted log still knows where it stands").isEqualTo(1);
        }
    }

    @Test
    void historyAndRecoveryAnswerFromWhatTheBudgetKept() {
        MemoryBroker broker = budgetBroker(1000, TEN_MESSAGES);
        LogId room = LogId.room("r");
        for (int i = 1; i <= 5; i++) {
            broker.publish(room, new Draft("r" + i, "s", i, BODY, ""));
        }
        String epoch = broker.top(room).epoch();
        // seven more messages elsewhere: twelve in all, so the two oldest, offsets 1 and 2 of r, are evicted
        for (int i = 0; i < 7; i++) {
            broker.publish(LogId.user("u" + i), new Draft("u" + i, "s", 10 + i, BODY, ""));
        }

        assertThat(broker.latest(room, 10)).extracting(p -> p.position().offset()).containsExactly(3L, 4L, 5L);
        Recovery fromTwo = broker.recover(room, new Position(epoch, 2), 100);
        assertThat(fromTwo.recovered()).isTrue();
        assertThat(fromTwo.missed()).extracting(p -> p.position().offset()).containsExactly(3L, 4L, 5L);
        Recovery fromOne = broker.recover(room, new Position(epoch, 1), 100);
        assertThat(fromOne.recovered()).as("offset 2 was evicted").isFalse();
        assertThat(fromOne.missed()).isEmpty();
        assertThat(fromOne.top()).isEqualTo(new Position(epoch, 5));
    }

    @Test
    void messagesThatCountRetentionDroppedNoLongerCountAgainstTheBudget() {
        MemoryBroker broker = budgetBroker(3, TEN_MESSAGES);
        LogId quiet = LogId.room("quiet");
        broker.publish(quiet, new Draft("q", "s", 0, BODY, ""));
        // 100 messages through a log that keeps 3: were the 97 dropped ones still counted, quiet's would be evicted
        for (int i = 1; i <= 100; i++) {
            broker.publish(LogId.room("busy"), new Draft("b" + i, "s", i, BODY, ""));
        }
        assertThat(broker.latest(quiet, 10)).hasSize(1);
        assertThat(broker.latest(LogId.room("busy"), 10)).extracting(p -> p.position().offset()).containsExactly(98L, 99L, 100L);
    }

    private static MemoryBroker budgetBroker(int retainedPerLog, long budgetBytes) {
        return new MemoryBroker("e", retainedPerLog, Duration.ZERO, budgetBytes,
                new IdempotencyCache(Duration.ofMinutes(1), 10, InstantSource.system()), InstantSource.system());
    }
}
