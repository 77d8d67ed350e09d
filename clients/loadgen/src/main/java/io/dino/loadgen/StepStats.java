package io.dino.loadgen;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Recorder;

/**
 * Counters of one phase (warm-up or step) of a room workload, written concurrently by the senders, the reply
 * callbacks and the receivers' listener threads; read once the phase has drained.
 */
final class StepStats {

    // Sender side, per room: messages sent, and sends that failed (error reply, timeout, connection closed).
    final LongAdder[] sentByRoom;
    final LongAdder[] failedByRoom;
    final LongAdder[] answeredByRoom;
    // Receiver side, per room: distinct messages received (each subscriber counts separately).
    final LongAdder[] receivedByRoom;
    final LongAdder duplicates = new LongAdder();
    final LongAdder outOfOrder = new LongAdder();
    final LongAdder untracked = new LongAdder();
    // Send → receive at the subscribers, and send → reply (WebSocket send reply or gRPC response), in µs.
    final Recorder deliveryMicros = new Recorder(3);
    final Recorder replyMicros = new Recorder(3);
    // Pacing: sends made later than their slot, the worst lag, and sends that first waited for an in-flight slot.
    final LongAdder behind = new LongAdder();
    final AtomicLong maxLagNanos = new AtomicLong();
    final LongAdder inFlightWaits = new LongAdder();
    final LongAdder skipped = new LongAdder();
    final Failures failures = new Failures();

    StepStats(int rooms) {
        sentByRoom = adders(rooms);
        failedByRoom = adders(rooms);
        answeredByRoom = adders(rooms);
        receivedByRoom = adders(rooms);
    }

    long sent() {
        return sum(sentByRoom);
    }

    long failed() {
        return sum(failedByRoom);
    }

    /** Sends with a reply so far, successful or not. */
    long answered() {
        return sum(answeredByRoom);
    }

    long received() {
        return sum(receivedByRoom);
    }

    void lag(long nanos) {
        maxLagNanos.accumulateAndGet(nanos, Math::max);
    }

    /** Expected vs. received deliveries, given how many subscribers each room has. */
    Loss loss(int[] subscribersPerRoom) {
        int rooms = sentByRoom.length;
        long[] delivered = new long[rooms];
        long[] received = new long[rooms];
        for (int room = 0; room < rooms; room++) {
            delivered[room] = sentByRoom[room].sum() - failedByRoom[room].sum();
            received[room] = receivedByRoom[room].sum();
        }
        return Loss.of(delivered, subscribersPerRoom, received);
    }

    private static LongAdder[] adders(int count) {
        LongAdder[] adders = new LongAdder[count];
        for (int i = 0; i < count; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    private static long sum(LongAdder[] adders) {
        long sum = 0;
        for (LongAdder adder : adders) {
            sum += adder.sum();
        }
        return sum;
    }
}
