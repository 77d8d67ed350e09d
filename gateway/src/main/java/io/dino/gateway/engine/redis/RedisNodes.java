package io.dino.gateway.engine.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dino.gateway.engine.Nodes;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Range;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The live nodes and their reported load on Redis: the heartbeat zset ({@code <prefix>:nodes}) says who is live,
 * the hash {@code <prefix>:node-stats} holds each node's last report (field: node id, value: compact JSON). The
 * report is written by {@link NodeRegistry}'s housekeeping thread, once per round, and removed with the node when it
 * stops or is reaped; a report left by a node that is no longer in the zset is never listed.
 */
final class RedisNodes implements Nodes {

    private static final Logger LOG = System.getLogger(RedisNodes.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String node;
    private final Keys keys;
    private final Connection connection;
    private final RedisSettings settings;
    private final InstantSource clock;
    private volatile Supplier<NodeLoad> source;
    /** Set by the registry: runs a report on its housekeeping thread at once (not on the caller's). */
    private volatile Runnable reportSoon = () -> { };

    RedisNodes(String node, Keys keys, Connection connection, RedisSettings settings, InstantSource clock) {
        this.node = node;
        this.keys = keys;
        this.connection = connection;
        this.settings = settings;
        this.clock = clock;
    }

    void onReportSoon(Runnable reportSoon) {
        this.reportSoon = reportSoon;
    }

    @Override
    public void reportFrom(Supplier<NodeLoad> source) {
        this.source = source;
        reportSoon.run();
    }

    /** Writes this node's report; housekeeping thread only. Nothing before a source is set. */
    void report() {
        Supplier<NodeLoad> from = source;
        if (from == null) {
            return;
        }
        NodeLoad load = from.get();
        String json = JSON.createObjectNode()
                .put("v", load.version())
                .put("s", load.startedAt())
                .put("t", clock.millis())
                .put("n", load.sessions())
                .put("u", load.users())
                .put("r", load.rooms())
                .toString();
        connection.sync().hset(keys.nodeStats(), node, json);
    }

    /** Forgets a node's report (the node stopped or was reaped). */
    void forget(String stopped) {
        connection.sync().hdel(keys.nodeStats(), stopped);
    }

    @Override
    public List<NodeLoad> live() {
        return RedisBroker.redis(() -> {
            long since = clock.millis() - settings.nodeTimeout().toMillis();
            List<String> live = connection.sync().zrangebyscore(keys.nodes(), Range.create(since, Double.POSITIVE_INFINITY));
            if (live.isEmpty()) {
                return List.of();
            }
            List<String> sorted = live.stream().sorted().toList();
            List<KeyValue<String, String>> reports = connection.sync().hmget(keys.nodeStats(), sorted.toArray(String[]::new));
            List<NodeLoad> loads = new ArrayList<>(sorted.size());
            for (int i = 0; i < sorted.size(); i++) {
                KeyValue<String, String> report = reports.get(i);
                loads.add(decode(sorted.get(i), report.hasValue() ? report.getValue() : null));
            }
            return List.copyOf(loads);
        });
    }

    private static NodeLoad decode(String node, String json) {
        if (json == null) {
            return NodeLoad.unknown(node);
        }
        try {
            JsonNode report = JSON.readTree(json);
            return new NodeLoad(node, report.path("v").asText(""), report.path("s").asLong(), report.path("t").asLong(),
                    report.path("n").asInt(), report.path("u").asInt(), report.path("r").asInt());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "node {0}''s load report is not readable: {1}", node, e.getMessage());
            return NodeLoad.unknown(node);
        }
    }
}
