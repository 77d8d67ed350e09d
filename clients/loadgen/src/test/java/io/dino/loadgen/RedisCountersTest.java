package io.dino.loadgen;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisCountersTest {

    // INFO stats commandstats of Redis 7.0.15, shortened: CRLF line ends, section headers, other fields.
    private static final String INFO = String.join("\r\n",
            "# Stats",
            "total_connections_received:2",
            "total_commands_processed:9",
            "total_net_input_bytes:51",
            "total_reads_processed:12",
            "total_writes_processed:10",
            "io_threaded_reads_processed:0",
            "",
            "# Commandstats",
            "cmdstat_evalsha:calls=3,usec=67,usec_per_call=22.33,rejected_calls=0,failed_calls=0",
            "cmdstat_hget:calls=6,usec=6,usec_per_call=1.00,rejected_calls=0,failed_calls=0",
            "cmdstat_client|list:calls=1,usec=54,usec_per_call=54.00,rejected_calls=0,failed_calls=0",
            "cmdstat_info:calls=2,usec=407,usec_per_call=203.50,rejected_calls=0,failed_calls=0",
            "");

    @Test
    void parsesReadsAndCallsPerCommand() {
        RedisCounters counters = RedisCounters.parse(INFO);

        assertThat(counters.reads()).isEqualTo(12);
        assertThat(counters.calls()).containsExactlyInAnyOrderEntriesOf(
                Map.of("evalsha", 3L, "hget", 6L, "client|list", 1L, "info", 2L));
    }

    @Test
    void infoWithoutReadCounterIsRefused() {
        assertThatThrownBy(() -> RedisCounters.parse("# Commandstats\r\ncmdstat_get:calls=1,usec=1\r\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("total_reads_processed");
        assertThatThrownBy(() -> RedisCounters.parse("total_reads_processed:1\r\ncmdstat_get:usec=1\r\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cmdstat_get");
    }

    @Test
    void differenceKeepsOnlyCommandsThatRanIncludingNewOnes() {
        RedisCounters before = new RedisCounters(100, Map.of("evalsha", 10L, "hget", 20L, "info", 5L, "zadd", 7L));
        RedisCounters after = new RedisCounters(109, Map.of("evalsha", 13L, "hget", 24L, "info", 6L, "zadd", 7L, "hkeys", 1L));

        RedisCounters window = after.minus(before).minus(RedisCounters.OWN_INFO);

        assertThat(window.reads()).isEqualTo(8);
        assertThat(window.calls()).containsExactlyInAnyOrderEntriesOf(Map.of("evalsha", 3L, "hget", 4L, "hkeys", 1L));
    }

    @Test
    void countersGoingBackwardsAreAnError() {
        RedisCounters before = new RedisCounters(100, Map.of("get", 10L));

        assertThatThrownBy(() -> new RedisCounters(5, Map.of("get", 11L)).minus(before)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new RedisCounters(101, Map.of("get", 1L)).minus(before)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new RedisCounters(101, Map.of()).minus(before)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void sumsWindowsAndReportsPerOperation() {
        RedisCounters total = RedisCounters.ZERO
                .plus(new RedisCounters(8, Map.of("evalsha", 3L, "sadd", 2L, "xread", 1L)))
                .plus(new RedisCounters(9, Map.of("evalsha", 3L, "sadd", 2L, "hmget", 1L)))
                .plus(new RedisCounters(8, Map.of("evalsha", 3L, "sadd", 2L)));

        ObjectNode report = total.perOperation(3);

        assertThat(report.get("readsPerOp").asDouble()).isEqualTo(8.333);
        assertThat(report.get("commandsPerOp").asDouble()).isEqualTo(5.667);
        assertThat(report.get("commandsPerOpByName").toString())
                .isEqualTo("{\"evalsha\":3.0,\"hmget\":0.333,\"sadd\":2.0,\"xread\":0.333}");
        assertThat(RedisCounters.ZERO.perOperation(0).isEmpty()).isTrue();
    }
}
