package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Publication;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-log reorder buffer of the inbox reader: offset order, epoch changes, gaps and lagging logs. */
class LogOrderTest {

    private static final LogId ROOM = LogId.room("r");
    private static final long WAIT = 100;

    private final Map<LogId, Position> delivered = new ConcurrentHashMap<>();
    private final LogOrder order = new LogOrder(delivered, WAIT);
    private final List<String> out = new ArrayList<>();
    private String currentEpoch = "e1";
    private int epochQueries;
    private final Function<LogId, String> epochs = log -> {
        epochQueries++;
        return currentEpoch;
    };

    private void offer(String epoch, long offset, long now) {
        order.offer(publication(epoch, offset), now, epochs, p -> out.add(p.position().epoch() + ":" + p.position().offset()));
    }

    private static Publication publication(String epoch, long offset) {
        return new Publication("m" + offset, ROOM, "s", 0, new Position(epoch, offset), "1");
    }

    @Test
    void outOfOrderEntriesAreDeliveredInOffsetOrder() {
        delivered.put(ROOM, new Position("e1", 0));
        offer("e1", 2, 0);
        offer("e1", 3, 0);
        assertThat(out).isEmpty();
        offer("e1", 1, 0);
        offer("e1", 2, 0);  // a repeat
        assertThat(out).containsExactly("e1:1", "e1:2", "e1:3");
        assertThat(delivered.get(ROOM)).isEqualTo(new Position("e1", 3));
        assertThat(order.hasWaiting()).isFalse();
    }

    @Test
    void aNewEpochArrivingOutOfOrderLosesNothing() {
        delivered.put(ROOM, new Position("e1", 7));
        currentEpoch = "e2";  // Redis lost the log; publishes after the restart start a new epoch
        offer("e2", 2, 0);
        offer("e2", 3, 0);
        offer("e2", 1, 0);
        assertThat(out).containsExactly("e2:1", "e2:2", "e2:3");
        assertThat(delivered.get(ROOM)).isEqualTo(new Position("e2", 3));
        assertThat(epochQueries).isEqualTo(1);
    }

    @Test
    void lateEntriesOfALeftEpochAreDroppedWithoutAskingAgain() {
        delivered.put(ROOM, new Position("e2", 4));
        currentEpoch = "e2";
        offer("e1", 9, 0);
        offer("e1", 10, 0);
        offer("e2", 5, 0);
        assertThat(out).containsExactly("e2:5");
        assertThat(epochQueries).isEqualTo(1);
    }

    @Test
    void whatWaitsInTheOldEpochIsDeliveredBeforeTheNewOneStarts() {
        delivered.put(ROOM, new Position("e1", 1));
        offer("e1", 3, 0);  // 2 never comes: it was lost with the old log
        currentEpoch = "e2";
        offer("e2", 1, 0);
        assertThat(out).containsExactly("e1:3", "e2:1");
        offer("e1", 2, 0);  // late: the old epoch is left behind
        assertThat(out).containsExactly("e1:3", "e2:1");
    }

    @Test
    void aGapIsReportedAfterTheWaitAndFilledFromTheLogSkippingWhatItNoLongerHolds() {
        delivered.put(ROOM, new Position("e1", 0));
        offer("e1", 5, 1_000);
        assertThat(order.expiredGaps(1_000 + WAIT - 1)).isEmpty();
        assertThat(order.expiredGaps(1_000 + WAIT)).containsExactly(new LogOrder.Gap(ROOM, "e1", 1, 4));

        order.fill(ROOM, "e1", List.of(publication("e1", 3), publication("e1", 4)), 4, 2_000,
                p -> out.add(p.position().epoch() + ":" + p.position().offset()));

        assertThat(out).containsExactly("e1:3", "e1:4", "e1:5");
        assertThat(delivered.get(ROOM)).isEqualTo(new Position("e1", 5));
        assertThat(order.hasWaiting()).isFalse();
    }

    @Test
    void aLogWhoseTopIsAheadWithNothingWaitingIsBehindAndFillCatchesItUp() {
        delivered.put(ROOM, new Position("e1", 2));
        assertThat(order.behind(ROOM, new Position("e1", 2))).isFalse();
        assertThat(order.behind(ROOM, new Position("e1", 3))).isTrue();
        assertThat(order.behind(ROOM, new Position("e2", 1))).isTrue();  // reset, and no entry of the new epoch came
        assertThat(order.behind(ROOM, null)).isFalse();

        order.fill(ROOM, "e2", List.of(publication("e2", 1)), 1, 0, p -> out.add(p.position().epoch() + ":" + p.position().offset()));

        assertThat(out).containsExactly("e2:1");
        assertThat(delivered.get(ROOM)).isEqualTo(new Position("e2", 1));
        assertThat(order.behind(ROOM, new Position("e1", 9))).isFalse();  // the left epoch is stale
    }

    @Test
    void unsubscribedLogsAreNotDeliveredAndForgotten() {
        delivered.put(ROOM, new Position("e1", 0));
        offer("e1", 2, 0);
        delivered.remove(ROOM);
        offer("e1", 1, 0);
        order.forgetUnsubscribed();
        assertThat(out).isEmpty();
        assertThat(order.hasWaiting()).isFalse();
    }
}
