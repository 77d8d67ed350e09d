package io.dino.loadgen;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LayoutTest {

    @Test
    void subscribersAreSpreadEvenlyOverRooms() {
        assertThat(new Layout(1000, 10, 10, 1).subscribersPerRoom()).containsOnly(100);
        assertThat(new Layout(7, 3, 1, 1).subscribersPerRoom()).containsExactly(3, 2, 2);
        assertThat(new Layout(2, 5, 1, 1).subscribersPerRoom()).containsExactly(1, 1, 0, 0, 0);
    }

    @Test
    void publisherJPublishesIntoRoomJModR() {
        Layout layout = new Layout(100, 4, 10, 1);

        assertThat(layout.publisherRoom(0)).isZero();
        assertThat(layout.publisherRoom(5)).isEqualTo(1);
        assertThat(layout.publisherRoom(9)).isEqualTo(1);
    }

    @Test
    void clientsAreSpreadRoundRobinOverNodesAndEveryRoomSpansAllNodes() {
        Layout layout = new Layout(1000, 10, 10, 2);
        int[] perNode = new int[2];
        Set<String> roomNodes = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            perNode[layout.subscriberNode(i)]++;
            roomNodes.add(layout.subscriberRoom(i) + "@" + layout.subscriberNode(i));
        }

        assertThat(perNode).containsExactly(500, 500);
        assertThat(roomNodes).hasSize(20); // each of the 10 rooms has subscribers on both nodes
        assertThat(layout.publisherNode(0)).isZero();
        assertThat(layout.publisherNode(1)).isEqualTo(1);
        assertThat(layout.publisherNode(2)).isZero();
    }

    @Test
    void oneNodeTakesEverything() {
        Layout layout = new Layout(50, 7, 3, 1);
        for (int i = 0; i < 50; i++) {
            assertThat(layout.subscriberNode(i)).isZero();
        }
    }

    @Test
    void roomNamesAreValidAndRunIdsDiffer() {
        String id = Layout.newRunId();

        assertThat(id).matches("[0-9a-z]{6}");
        assertThat(Layout.roomName(id, 3)).matches("[A-Za-z0-9._:-]{1,64}").endsWith("-r3");
    }
}
