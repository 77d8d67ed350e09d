package io.dino.loadgen;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.client.CloseListener;
import io.dino.client.DinoClient;

/**
 * The WebSocket clients of a room workload, on one or more nodes: connects and authenticates them, has each
 * join its room, and closes them all at the end. Each node's connections are spread round-robin over
 * {@code httpClients} {@link Connector}s: every HttpClient reads all its sockets on one selector thread, so one
 * per node would cap the generator at about one core of receiving per node.
 */
final class Fleet implements AutoCloseable {

    /** One client to open: who, on which node (index into the node list), in which room, with which handlers. */
    record Member(String user, int node, String room, Consumer<JsonNode> onEvent, CloseListener onClose) {
    }

    private static final int JOINS_IN_FLIGHT = 256;
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final List<URI> nodes;
    private final int httpClients;
    // Connector (and open clients) of node n, shard k at index n * httpClients + k.
    private final List<Connector> connectors = new ArrayList<>();
    private final List<List<DinoClient>> openByConnector = new ArrayList<>();
    // Members placed on each node so far, to deal them round-robin over the node's connectors.
    private final int[] placed;

    /** Default HttpClients per node: one per two cores, at least one. */
    static int defaultHttpClients() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    Fleet(List<URI> nodes, int httpClients) {
        if (httpClients < 1) {
            throw new IllegalArgumentException("httpClients must be positive: " + httpClients);
        }
        this.nodes = List.copyOf(nodes);
        this.httpClients = httpClients;
        this.placed = new int[nodes.size()];
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors() / httpClients);
        for (URI node : nodes) {
            for (int k = 0; k < httpClients; k++) {
                connectors.add(new Connector(node, threads));
                openByConnector.add(new ArrayList<>());
            }
        }
    }

    /**
     * Opens one client per member (with the token at the same index; null tokens fail), at most
     * {@code connectRate} new connections per second per node, then joins each to its room.
     *
     * @return clients in member order; null where connecting or joining failed (counted in {@code failures})
     */
    DinoClient[] connectAndJoin(String what, List<Member> members, List<String> tokens, int connectRate, Failures failures)
            throws InterruptedException {
        DinoClient[] clients = new DinoClient[members.size()];
        List<List<Integer>> byConnector = new ArrayList<>();
        connectors.forEach(c -> byConnector.add(new ArrayList<>()));
        for (int i = 0; i < members.size(); i++) {
            int node = members.get(i).node();
            byConnector.get(node * httpClients + placed[node]++ % httpClients).add(i);
        }
        for (int c = 0; c < connectors.size(); c++) {
            List<Integer> indexes = byConnector.get(c);
            if (indexes.isEmpty()) {
                continue;
            }
            List<String> nodeTokens = indexes.stream().map(tokens::get).toList();
            Connector connector = connectors.get(c);
            URI node = nodes.get(c / httpClients);
            Log.info("connecting %d %s to %s%s", indexes.size(), what, node,
                    httpClients > 1 ? " (HttpClient " + (c % httpClients + 1) + " of " + httpClients + ")" : "");
            Connector.Result result = connector.connectAll(nodeTokens, connectRate, local -> {
                Member member = members.get(indexes.get(local));
                return connector.builder().onEvent(member.onEvent()).onClose(member.onClose());
            });
            result.failures().counts().forEach((reason, count) -> {
                Log.info("%d x %s", count, reason);
                failures.add(what, reason, count);
            });
            for (int local = 0; local < indexes.size(); local++) {
                DinoClient client = result.clients().get(local);
                if (client != null) {
                    clients[indexes.get(local)] = client;
                    openByConnector.get(c).add(client);
                }
            }
        }
        join(what, members, clients, failures);
        return clients;
    }

    private void join(String what, List<Member> members, DinoClient[] clients, Failures failures) throws InterruptedException {
        Semaphore inFlight = new Semaphore(JOINS_IN_FLIGHT);
        boolean[] joined = new boolean[clients.length];
        AtomicInteger failed = new AtomicInteger();
        long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
        int started = 0;
        for (int i = 0; i < clients.length; i++) {
            if (clients[i] == null) {
                continue;
            }
            if (!inFlight.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                break;
            }
            int index = i;
            started++;
            // Each callback writes its own slot; the releases publish the writes to the final acquire.
            clients[i].join(members.get(i).room()).whenComplete((result, error) -> {
                if (error != null) {
                    failures.add(what + " join", error);
                    failed.incrementAndGet();
                } else {
                    joined[index] = true;
                }
                inFlight.release();
            });
        }
        if (!inFlight.tryAcquire(JOINS_IN_FLIGHT, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            Log.info("some %s joins did not finish within %s; counted as failed", what, JOIN_TIMEOUT);
        } else {
            inFlight.release(JOINS_IN_FLIGHT);
        }
        int ok = 0;
        for (int i = 0; i < clients.length; i++) {
            if (clients[i] != null && !joined[i]) {
                // Not in its room: of no use to the workload.
                clients[i].close();
                clients[i] = null;
            } else if (clients[i] != null) {
                ok++;
            }
        }
        Log.info("%d %s joined their rooms (%d joins started, %d failed)", ok, what, started, failed.get());
    }

    /** Closes every client this fleet opened and waits (bounded) until they are closed. */
    void closeAll() throws InterruptedException {
        for (int c = 0; c < connectors.size(); c++) {
            List<DinoClient> open = openByConnector.get(c);
            if (!open.isEmpty()) {
                Log.info("closing %d connections to %s", open.size(), nodes.get(c / httpClients));
                connectors.get(c).closeAll(open, CLOSE_TIMEOUT);
                open.clear();
            }
        }
    }

    @Override
    public void close() {
        connectors.forEach(Connector::close);
    }
}
