package io.dino.loadgen;

/**
 * Where the clients of a room workload go. Subscriber {@code i} joins room {@code i % rooms} (so rooms get
 * equal shares, within one); publisher {@code j} publishes into room {@code j % rooms}. Clients are spread over
 * the nodes round-robin, shifted by one per round of rooms so that each room's members are spread over all
 * nodes too (with plain {@code i % nodes}, two nodes and ten rooms would put every member of room 0 on node 0).
 */
record Layout(int subscribers, int rooms, int publishers, int nodes) {

    Layout {
        if (subscribers < 0 || publishers < 0 || rooms < 1 || nodes < 1) {
            throw new IllegalArgumentException(this.toString());
        }
    }

    int subscriberRoom(int i) {
        return i % rooms;
    }

    int subscriberNode(int i) {
        return node(i);
    }

    int publisherRoom(int j) {
        return j % rooms;
    }

    int publisherNode(int j) {
        return node(j);
    }

    private int node(int i) {
        return (i % rooms + i / rooms) % nodes;
    }

    /** Subscribers per room, by room index. */
    int[] subscribersPerRoom() {
        int[] counts = new int[rooms];
        for (int i = 0; i < subscribers; i++) {
            counts[subscriberRoom(i)]++;
        }
        return counts;
    }

    static String roomName(String runId, int room) {
        return "lg-" + runId + "-r" + room;
    }

    /** A short random id, so that room and user names of concurrent or earlier runs do not collide. */
    static String newRunId() {
        return Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36, 36L * 36 * 36 * 36 * 36 * 36), 36);
    }
}
