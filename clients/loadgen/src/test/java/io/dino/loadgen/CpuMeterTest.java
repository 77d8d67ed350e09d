package io.dino.loadgen;

import java.util.OptionalLong;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CpuMeterTest {

    @Test
    void hostBusyTimeLeavesOutIdleAndIowait() {
        String stat = """
                cpu  100 5 50 800 40 3 2 0 0 0
                cpu0 50 2 25 400 20 1 1 0 0 0
                intr 12345
                """;

        assertThat(CpuMeter.parseProcStat(stat)).containsExactly(160, 1000);
    }

    @Test
    void reportsCoresUsedOverTheInterval() {
        ObjectNode report = Json.object();
        CpuMeter.put(report, new CpuMeter.Reading(0, 1_000_000_000L, 0, 100, 1000),
                new CpuMeter.Reading(2_000_000_000L, 3_000_000_000L, 1_000_000_000L, 600, 2000));

        assertThat(report.get("generatorCpuSeconds").asDouble()).isEqualTo(2.0);
        assertThat(report.get("generatorCpuCores").asDouble()).isEqualTo(1.0);
        assertThat(report.get("nodeCpuCores").asDouble()).isEqualTo(0.5);
        assertThat(report.get("hostCpuBusy").asDouble()).isEqualTo(0.5);
    }

    @Test
    void findsTheBusiestThreadOverTheInterval() {
        CpuMeter.Reading from = new CpuMeter.Reading(0, 0, -1, -1, -1, java.util.Map.of(
                1L, new CpuMeter.ThreadTime("HttpClient-1-SelectorManager", 5_000_000_000L),
                2L, new CpuMeter.ThreadTime("loadgen-io-0", 100)));
        CpuMeter.Reading to = new CpuMeter.Reading(2_000_000_000L, 0, -1, -1, -1, java.util.Map.of(
                1L, new CpuMeter.ThreadTime("HttpClient-1-SelectorManager", 5_500_000_000L),
                2L, new CpuMeter.ThreadTime("loadgen-io-0", 1_600_000_100L),
                3L, new CpuMeter.ThreadTime("publisher-0", 10)));  // started during the interval
        ObjectNode report = Json.object();

        CpuMeter.put(report, from, to);

        assertThat(report.get("generatorBusiestThread").asText()).isEqualTo("loadgen-io-0");
        assertThat(report.get("generatorBusiestThreadCores").asDouble()).isEqualTo(0.8);
    }

    @Test
    void leavesOutWhatWasNotMeasured() {
        ObjectNode report = Json.object();
        CpuMeter.put(report, new CpuMeter.Reading(0, 0, -1, -1, -1), new CpuMeter.Reading(1_000_000_000L, 1, -1, -1, -1));

        assertThat(report.has("nodeCpuCores")).isFalse();
        assertThat(report.has("hostCpuBusy")).isFalse();
        assertThat(report.has("generatorBusiestThread")).isFalse();
        assertThat(new CpuMeter(OptionalLong.empty()).read().nodeNanos()).isEqualTo(-1);
    }
}
