package io.dino.gateway.limits;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The budgets of sessions and of a user's sessions on a node, with a clock the test moves. */
class SessionBudgetTest {

    private static final long MS = 1_000_000L;

    private final AtomicLong now = new AtomicLong(1_000 * MS);
    private final List<Limited> refusals = new ArrayList<>();

    private SessionLimits limits(RateSettings settings) {
        return new SessionLimits(settings, now::get, refusals::add);
    }

    private static RateSettings settings(Rate commands, Rate sends, Rate joins, Rate userSends, Rate userJoins, int floodClose) {
        return new RateSettings(commands, sends, joins, userSends, userJoins, Rate.UNLIMITED, floodClose);
    }

    @Test
    void sendsDrawFromTheSendBudgetAndTheCommandBudgetOthersOnlyFromTheCommandBudget() {
        SessionBudget budget = limits(settings(new Rate(10, 3), new Rate(1, 2), Rate.UNLIMITED, Rate.UNLIMITED,
                Rate.UNLIMITED, 0)).newSession();

        assertThat(budget.admit(SessionBudget.Cost.SEND)).isZero();
        assertThat(budget.admit(SessionBudget.Cost.SEND)).isZero();
        assertThat(budget.admit(SessionBudget.Cost.SEND)).isEqualTo(1_000 * MS);
        assertThat(budget.lastRefusal()).isEqualTo(Limited.SENDS);
        assertThat(budget.admit(SessionBudget.Cost.COMMAND)).as("the refused send took a command token").isEqualTo(100 * MS);
        assertThat(budget.lastRefusal()).isEqualTo(Limited.COMMANDS);
        assertThat(refusals).containsExactly(Limited.SENDS, Limited.COMMANDS);
        now.addAndGet(100 * MS);
        assertThat(budget.admit(SessionBudget.Cost.JOIN)).as("joins are unlimited, commands have a token again").isZero();
    }

    @Test
    void theSessionsOfOneUserShareTheUserBudgetAndOtherUsersDoNot() {
        SessionLimits limits = limits(settings(Rate.UNLIMITED, new Rate(100, 100), new Rate(100, 100), new Rate(1, 3),
                new Rate(1, 1), 0));
        SessionBudget first = limits.newSession();
        SessionBudget second = limits.newSession();
        SessionBudget other = limits.newSession();
        first.authenticated("ann");
        second.authenticated("ann");
        other.authenticated("bob");

        assertThat(first.admit(SessionBudget.Cost.SEND)).isZero();
        assertThat(second.admit(SessionBudget.Cost.SEND)).isZero();
        assertThat(first.admit(SessionBudget.Cost.SEND)).isZero();
        assertThat(second.admit(SessionBudget.Cost.SEND)).isEqualTo(1_000 * MS);
        assertThat(second.lastRefusal()).isEqualTo(Limited.USER_SENDS);
        assertThat(other.admit(SessionBudget.Cost.SEND)).isZero();
        assertThat(first.admit(SessionBudget.Cost.JOIN)).isZero();
        assertThat(second.admit(SessionBudget.Cost.JOIN)).isEqualTo(1_000 * MS);
        assertThat(second.lastRefusal()).isEqualTo(Limited.USER_JOINS);
    }

    @Test
    void theUserBucketsGoWithTheUsersLastSessionOnceTheyAreFullAgainSoReconnectingRefillsNothing() {
        SessionLimits limits = limits(settings(Rate.UNLIMITED, Rate.UNLIMITED, Rate.UNLIMITED, new Rate(1, 1), Rate.UNLIMITED, 0));
        SessionBudget first = limits.newSession();
        SessionBudget second = limits.newSession();
        first.authenticated("ann");
        second.authenticated("ann");
        assertThat(first.admit(SessionBudget.Cost.SEND)).isZero();

        first.close();
        first.close();  // idempotent: does not take the second session's count
        assertThat(limits.trackedUsers()).isEqualTo(1);
        assertThat(second.admit(SessionBudget.Cost.SEND)).as("still the same bucket").isPositive();
        second.close();
        assertThat(limits.trackedUsers()).as("kept: it owes a token").isEqualTo(1);

        SessionBudget reconnected = limits.newSession();
        reconnected.authenticated("ann");
        assertThat(reconnected.admit(SessionBudget.Cost.SEND)).as("a reconnect gets the same, empty bucket").isPositive();
        reconnected.close();
        limits.sweep();
        assertThat(limits.trackedUsers()).isEqualTo(1);
        now.addAndGet(1_000 * MS);
        limits.sweep();
        assertThat(limits.trackedUsers()).as("full again: forgotten").isZero();

        SessionBudget first2 = limits.newSession();
        first2.authenticated("ann");
        assertThat(first2.admit(SessionBudget.Cost.SEND)).isZero();
        now.addAndGet(1_000 * MS);
        first2.close();
        assertThat(limits.trackedUsers()).as("the last session leaves a full bucket: gone at once").isZero();
    }

    @Test
    void noUserBucketsAreKeptWhenThereAreNoPerUserLimits() {
        SessionLimits limits = limits(settings(new Rate(1, 1), Rate.UNLIMITED, Rate.UNLIMITED, Rate.UNLIMITED, Rate.UNLIMITED, 0));
        limits.newSession().authenticated("ann");
        assertThat(limits.trackedUsers()).isZero();
    }

    @Test
    void floodingMeansFloodCloseRefusalsWithinTenSecondsAdmittedFramesBetweenThemOrNot() {
        SessionBudget budget = limits(settings(new Rate(1, 1), Rate.UNLIMITED, Rate.UNLIMITED, Rate.UNLIMITED,
                Rate.UNLIMITED, 3)).newSession();
        assertThat(budget.admit(SessionBudget.Cost.COMMAND)).isZero();
        budget.admit(SessionBudget.Cost.COMMAND);
        budget.admit(SessionBudget.Cost.COMMAND);
        assertThat(budget.flooding()).isFalse();
        now.addAndGet(1_000 * MS);
        assertThat(budget.admit(SessionBudget.Cost.COMMAND)).isZero();
        assertThat(budget.refusedInWindow()).isEqualTo(2);
        budget.admit(SessionBudget.Cost.COMMAND);
        assertThat(budget.flooding()).as("three refusals within 10 s").isTrue();

        SessionBudget slow = limits(settings(new Rate(1, 1), Rate.UNLIMITED, Rate.UNLIMITED, Rate.UNLIMITED,
                Rate.UNLIMITED, 3)).newSession();
        for (int i = 0; i < 10; i++) {  // one refusal every 5 s: never three in one window
            slow.admit(SessionBudget.Cost.COMMAND);
            slow.admit(SessionBudget.Cost.COMMAND);
            assertThat(slow.flooding()).as("round %d", i).isFalse();
            now.addAndGet(5_000 * MS);
        }
    }

    @Test
    void floodCloseZeroNeverFloods() {
        SessionBudget budget = limits(settings(new Rate(1, 1), Rate.UNLIMITED, Rate.UNLIMITED, Rate.UNLIMITED,
                Rate.UNLIMITED, 0)).newSession();
        for (int i = 0; i < 10_000; i++) {
            budget.admit(SessionBudget.Cost.COMMAND);
        }
        assertThat(budget.flooding()).isFalse();
    }

    @Test
    void apiKeysEachHaveTheirOwnBucketAndUnknownKeysNone() {
        ApiKeyLimits keys = new ApiKeyLimits(List.of("k1", "k2"), new Rate(2, 2), now::get, refusals::add);
        assertThat(keys.admit("k1")).isZero();
        assertThat(keys.admit("k1")).isZero();
        assertThat(keys.admit("k1")).isEqualTo(500 * MS);
        assertThat(keys.admit("k2")).isZero();
        assertThat(keys.admit("unknown")).isZero();
        assertThat(keys.admit(null)).isZero();
        assertThat(refusals).containsExactly(Limited.API_KEY_CALLS);
        assertThat(new ApiKeyLimits(List.of("k1"), Rate.UNLIMITED, now::get, refusals::add).unlimited()).isTrue();
    }
}
