package io.dino.loadgen;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LossTest {

    @Test
    void expectsEveryAcceptedMessageAtEverySubscriberOfItsRoom() {
        Loss loss = Loss.of(new long[] {10, 20}, new int[] {3, 5}, new long[] {30, 100});

        assertThat(loss).isEqualTo(new Loss(130, 130, 0, 0));
    }

    @Test
    void surplusInOneRoomDoesNotHideLossInAnother() {
        Loss loss = Loss.of(new long[] {10, 10}, new int[] {2, 2}, new long[] {15, 22});

        assertThat(loss.expected()).isEqualTo(40);
        assertThat(loss.received()).isEqualTo(37);
        assertThat(loss.lost()).isEqualTo(5);
        assertThat(loss.unexpected()).isEqualTo(2);
    }

    @Test
    void roomsWithoutSubscribersExpectNothing() {
        assertThat(Loss.of(new long[] {7}, new int[] {0}, new long[] {0})).isEqualTo(new Loss(0, 0, 0, 0));
    }

    @Test
    void stepStatsCountFailedSendsAsNotExpected() {
        StepStats stats = new StepStats(2);
        stats.sentByRoom[0].add(10);
        stats.failedByRoom[0].add(2);   // refused: never delivered
        stats.sentByRoom[1].add(5);
        stats.answeredByRoom[0].add(10);
        stats.answeredByRoom[1].add(4); // one still unanswered: still expected
        stats.receivedByRoom[0].add(8 * 4);
        stats.receivedByRoom[1].add(5 * 4 - 1);

        Loss loss = stats.loss(new int[] {4, 4});

        assertThat(loss).isEqualTo(new Loss(8 * 4 + 5 * 4, 8 * 4 + 5 * 4 - 1, 1, 0));
        assertThat(stats.sent()).isEqualTo(15);
        assertThat(stats.failed()).isEqualTo(2);
        assertThat(stats.answered()).isEqualTo(14);
    }
}
