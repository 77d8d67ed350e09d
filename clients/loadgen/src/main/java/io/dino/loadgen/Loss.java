package io.dino.loadgen;

/**
 * Delivery accounting of one phase. Every message a room accepted must reach every subscriber of that room:
 * expected = accepted × subscribers, per room. A room that received fewer lost the difference; one that
 * received more (e.g. a message whose send reply failed but which was stored anyway) has unexpected
 * deliveries. Rooms are counted separately so that surplus in one room cannot hide loss in another.
 *
 * @param expected   deliveries that should have happened
 * @param received   distinct deliveries counted (duplicates excluded)
 * @param lost       sum over rooms of what a room received less than expected
 * @param unexpected sum over rooms of what a room received more than expected
 */
record Loss(long expected, long received, long lost, long unexpected) {

    /**
     * @param acceptedByRoom     messages sent into each room and not refused (sent − failed)
     * @param subscribersPerRoom subscribers in each room
     * @param receivedByRoom     distinct deliveries counted at the subscribers of each room
     */
    static Loss of(long[] acceptedByRoom, int[] subscribersPerRoom, long[] receivedByRoom) {
        if (acceptedByRoom.length != subscribersPerRoom.length || acceptedByRoom.length != receivedByRoom.length) {
            throw new IllegalArgumentException("per-room arrays differ in length");
        }
        long expected = 0;
        long received = 0;
        long lost = 0;
        long unexpected = 0;
        for (int room = 0; room < acceptedByRoom.length; room++) {
            long roomExpected = Math.max(0, acceptedByRoom[room]) * subscribersPerRoom[room];
            long roomReceived = receivedByRoom[room];
            expected += roomExpected;
            received += roomReceived;
            lost += Math.max(0, roomExpected - roomReceived);
            unexpected += Math.max(0, roomReceived - roomExpected);
        }
        return new Loss(expected, received, lost, unexpected);
    }
}
