package io.dino.gateway.limits;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The token buckets against a clock the test moves: burst, refill, and the exact wait of a refused request. */
class TokenBucketTest {

    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;

    @Test
    void aFullBucketAdmitsTheBurstAtOnceAndThenRefusesWithTheExactWait() {
        TokenBucket bucket = new TokenBucket(new Rate(10, 3));  // a token every 100 ms
        long now = 5 * SECOND;

        assertThat(bucket.tryTake(now)).isZero();
        assertThat(bucket.tryTake(now)).isZero();
        assertThat(bucket.tryTake(now)).isZero();
        assertThat(bucket.tryTake(now)).isEqualTo(100 * MS);
        assertThat(bucket.tryTake(now + 40 * MS)).as("a refusal takes nothing: the wait only shrinks").isEqualTo(60 * MS);
        assertThat(bucket.tryTake(now + 100 * MS - 1)).isEqualTo(1);
        assertThat(bucket.tryTake(now + 100 * MS)).as("admitted exactly when the wait said").isZero();
        assertThat(bucket.tryTake(now + 100 * MS)).isEqualTo(100 * MS);
    }

    @Test
    void tokensRefillAtTheRateUpToTheBurstOnly() {
        TokenBucket bucket = new TokenBucket(new Rate(10, 3));
        long now = 0;
        for (int i = 0; i < 3; i++) {
            assertThat(bucket.tryTake(now)).isZero();
        }
        now += 250 * MS;  // two tokens back (and half of a third)
        assertThat(bucket.tryTake(now)).isZero();
        assertThat(bucket.tryTake(now)).isZero();
        assertThat(bucket.tryTake(now)).isEqualTo(50 * MS);

        now += 60 * SECOND;  // idle for long: full again, but no more than the burst
        for (int i = 0; i < 3; i++) {
            assertThat(bucket.tryTake(now)).isZero();
        }
        assertThat(bucket.tryTake(now)).isEqualTo(100 * MS);
    }

    @Test
    void aSteadyClientAtTheRateIsNeverRefused() {
        TokenBucket bucket = new TokenBucket(new Rate(50, 1));
        for (long now = 0; now < 10 * SECOND; now += 20 * MS) {
            assertThat(bucket.tryTake(now)).as("at %d ms", now / MS).isZero();
        }
    }

    @Test
    void theWaitRoundsUpToWholeMilliseconds() {
        assertThat(Rate.millisRoundedUp(1)).isEqualTo(1);
        assertThat(Rate.millisRoundedUp(MS)).isEqualTo(1);
        assertThat(Rate.millisRoundedUp(MS + 1)).isEqualTo(2);
        TokenBucket bucket = new TokenBucket(new Rate(3, 1));  // 333,333,333 ns apart
        assertThat(bucket.tryTake(0)).isZero();
        assertThat(Rate.millisRoundedUp(bucket.tryTake(0))).isEqualTo(334);
    }

    @Test
    void anUnlimitedRateHasNoBucketAndALimitedOneNeedsABurst() {
        assertThat(new Rate(0, 5).unlimited()).isTrue();
        assertThatThrownBy(() -> new TokenBucket(Rate.UNLIMITED)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Rate(5, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Rate(-1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSharedBucketGivesOutExactlyItsTokensToRacingThreads() throws Exception {
        SharedTokenBucket bucket = new SharedTokenBucket(new Rate(1, 1_000));  // no refill worth counting in the test
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < 500; i++) {
                    if (bucket.tryTake(0) == 0) {
                        admitted.incrementAndGet();
                    }
                }
            }));
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(admitted).hasValue(1_000);
        assertThat(bucket.tryTake(0)).isEqualTo(SECOND);
        assertThat(bucket.tryTake(SECOND)).isZero();
    }
}
