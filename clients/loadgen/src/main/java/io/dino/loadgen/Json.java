package io.dino.loadgen;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

/** Small helpers for the JSON reports. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** p50/p90/p99/max and count of a histogram of microseconds, in milliseconds; only count when empty. */
    static ObjectNode latencyMillis(Histogram micros) {
        ObjectNode latency = object();
        latency.put("count", micros.getTotalCount());
        if (micros.getTotalCount() == 0) {
            return latency;
        }
        latency.put("p50", round3(micros.getValueAtPercentile(50) / 1000.0));
        latency.put("p90", round3(micros.getValueAtPercentile(90) / 1000.0));
        latency.put("p99", round3(micros.getValueAtPercentile(99) / 1000.0));
        latency.put("max", round3(micros.getMaxValue() / 1000.0));
        return latency;
    }

    static ObjectNode counts(Map<String, Long> counts) {
        ObjectNode node = object();
        counts.forEach(node::put);
        return node;
    }

    static double round3(double value) {
        return Double.isFinite(value) ? Math.round(value * 1000) / 1000.0 : value;
    }

    static double round1(double value) {
        return Double.isFinite(value) ? Math.round(value * 10) / 10.0 : value;
    }
}
