package io.dino.gateway.engine;

import java.util.List;
import java.util.function.Supplier;

/**
 * The cluster's live nodes and the load each reports, for operators (the admin console). Each node reports a small
 * {@link NodeLoad} record from its housekeeping, never from the heartbeat and never per message: what another node
 * shows may be up to one {@code dino.cluster.heartbeat-interval} old ({@link NodeLoad#reportedAt()} says how old).
 *
 * <p>Contract: {@link #live()} lists every node whose heartbeat is current, this node included, each with its last
 * report, sorted by node id; a node that stopped (gracefully or declared dead) drops out with its heartbeat. A live
 * node that has not reported yet is listed with {@link NodeLoad#unknown(String)}. The memory engine has one node:
 * this one, its load read at the call.
 */
public interface Nodes {

    /**
     * What this node reports: read on the engine's housekeeping thread (Redis) or at each {@link #live()} call
     * (memory); must be cheap and must not block. Set once, when the node has wired its sessions; until then the
     * node reports as {@link NodeLoad#unknown(String)}.
     */
    void reportFrom(Supplier<NodeLoad> source);

    /** Every live node with its last report, sorted by node id. May throw {@link EngineUnavailableException}. */
    List<NodeLoad> live();

    /**
     * One node's load as it last reported it.
     *
     * @param node       the node id
     * @param version    the gateway's version, "" when unknown
     * @param startedAt  when the node started, ms since the epoch (0: unknown)
     * @param reportedAt when the node wrote this report, ms since the epoch (0: never)
     * @param sessions   authenticated sessions on the node
     * @param users      distinct users with sessions on the node
     * @param rooms      rooms that have at least one session on the node
     */
    record NodeLoad(String node, String version, long startedAt, long reportedAt, int sessions, int users, int rooms) {

        /** A live node that has not reported (yet). */
        public static NodeLoad unknown(String node) {
            return new NodeLoad(node, "", 0, 0, 0, 0, 0);
        }
    }
}
