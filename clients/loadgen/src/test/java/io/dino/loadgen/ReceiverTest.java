package io.dino.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReceiverTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int ROOMS = 2;

    private final Phases phases = new Phases(4, ROOMS, 3);
    private final Receiver room1 = new Receiver(1, ROOMS, phases);

    private static JsonNode message(int p, long s, long t) throws Exception {
        return MAPPER.readTree("{\"event\":\"message\",\"msg\":{\"id\":\"x\",\"room\":\"r\",\"from\":\"u\",\"ts\":1,"
                + "\"epoch\":\"e\",\"offset\":1,\"body\":{\"p\":" + p + ",\"s\":" + s + ",\"t\":" + t + "}}}");
    }

    @Test
    void countsDeliveriesInThePhaseTheMessageWasSentIn() throws Exception {
        // Publishers 1 and 3 publish into room 1 (p % 2 == 1).
        phases.map.begin(1, 0, 0);
        phases.map.begin(3, 0, 0);
        phases.map.begin(1, 1, 2);
        phases.map.begin(3, 1, 1);
        long sentAt = System.nanoTime();

        room1.accept(message(1, 0, sentAt));
        room1.accept(message(3, 0, sentAt));
        room1.accept(message(1, 1, sentAt));
        room1.accept(message(1, 2, sentAt));
        room1.accept(message(3, 1, sentAt));

        assertThat(phases.get(0).receivedByRoom[1].sum()).isEqualTo(3);
        assertThat(phases.get(1).receivedByRoom[1].sum()).isEqualTo(2);
        assertThat(phases.get(0).receivedByRoom[0].sum()).isZero();
        Histogram latency = phases.get(1).deliveryMicros.getIntervalHistogram();
        assertThat(latency.getTotalCount()).isEqualTo(2);
    }

    @Test
    void tracksDuplicatesAndReorderingPerPublisher() throws Exception {
        phases.map.begin(1, 1, 0);
        phases.map.begin(3, 1, 0);
        long t = System.nanoTime();

        room1.accept(message(1, 0, t));
        room1.accept(message(3, 0, t));  // another publisher's own sequence: not a duplicate
        room1.accept(message(1, 2, t));
        room1.accept(message(1, 1, t));  // late
        room1.accept(message(1, 2, t));  // duplicate

        StepStats stats = phases.get(1);
        assertThat(stats.receivedByRoom[1].sum()).isEqualTo(4);
        assertThat(stats.outOfOrder.sum()).isEqualTo(1);
        assertThat(stats.duplicates.sum()).isEqualTo(1);
    }

    @Test
    void ignoresOtherEventsAndCountsForeignMessages() throws Exception {
        phases.map.begin(1, 1, 0);

        room1.accept(MAPPER.readTree("{\"event\":\"joined\",\"room\":\"r\",\"user\":\"u\"}"));
        room1.accept(MAPPER.readTree("{\"event\":\"message\",\"msg\":{\"body\":\"hello\"}}"));
        room1.accept(message(0, 0, 1)); // publisher 0 publishes into room 0, not ours
        room1.accept(message(1, -1, 1));
        room1.accept(MAPPER.readTree("{\"event\":\"disconnect\",\"code\":4080,\"name\":\"SLOW_CONSUMER\",\"reason\":\"x\",\"reconnect\":true}"));

        assertThat(phases.foreign.sum()).isEqualTo(3);
        assertThat(phases.get(1).received()).isZero();
        assertThat(phases.disconnects.counts()).containsEntry("subscriber disconnect: 4080 SLOW_CONSUMER", 1L);
    }

    @Test
    void latencyIsReceiveTimeMinusTheBodysSendTime() throws Exception {
        phases.map.begin(1, 1, 0);

        room1.accept(message(1, 0, System.nanoTime() - 5_000_000)); // sent 5 ms ago

        Histogram latency = phases.get(1).deliveryMicros.getIntervalHistogram();
        assertThat(latency.getMinValue()).isGreaterThanOrEqualTo(5000);
    }
}
