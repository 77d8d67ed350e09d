package io.dino.gateway.engine;

/**
 * A session as the shared state knows it: which user, which session, on which node. The node id lets
 * the cluster remove a dead node's sessions.
 */
public record SessionRef(String node, String session, String user) {
}
