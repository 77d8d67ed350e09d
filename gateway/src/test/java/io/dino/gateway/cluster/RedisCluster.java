package io.dino.gateway.cluster;

import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * A real Redis Cluster for tests: {@code redis-server --cluster-enabled yes} processes ({@link RedisServer}s,
 * so each is tracked and killed with the test JVM) on free loopback ports, without persistence, joined with
 * {@code redis-cli --cluster create}. {@code start} returns once every node reports {@code cluster_state:ok},
 * knows every other node, and every replica's link to its master is up.
 *
 * <p>The cluster node timeout is {@value #NODE_TIMEOUT_MILLIS} ms, so a replica takes over within a couple of
 * seconds of its master's death; {@code cluster-require-full-coverage no} keeps the other masters serving
 * meanwhile (as docs/operations.md recommends). A missing {@code redis-cli} fails the test, like a missing
 * {@code redis-server}.
 */
public final class RedisCluster implements AutoCloseable {

    static final long NODE_TIMEOUT_MILLIS = 1000;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final int CREATE_TIMEOUT_SECONDS = 30;

    private final List<RedisServer> servers;

    private RedisCluster(List<RedisServer> servers) {
        this.servers = servers;
    }

    /** {@code masters} masters (at least 3, as redis-cli requires), each with {@code replicasPerMaster} replicas. */
    public static RedisCluster start(int masters, int replicasPerMaster) {
        List<RedisServer> servers = new ArrayList<>();
        RedisCluster cluster = new RedisCluster(servers);
        try {
            RedisServer.Options options = RedisServer.Options.DEFAULT.asClusterNode().withArguments(
                    "--cluster-node-timeout", Long.toString(NODE_TIMEOUT_MILLIS),
                    "--cluster-require-full-coverage", "no");
            for (int i = 0; i < masters * (1 + replicasPerMaster); i++) {
                servers.add(RedisServer.start(options));
            }
            cluster.create(replicasPerMaster);
            cluster.awaitReady();
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** Seed URIs for {@code dino.redis.cluster-nodes}: every node of the cluster. */
    public List<String> seeds() {
        return servers.stream().map(RedisServer::uri).toList();
    }

    /** The config keys that put a gateway node on this cluster. */
    public java.util.Map<String, String> nodeConfig() {
        java.util.Map<String, String> config = new java.util.HashMap<>();
        List<String> seeds = seeds();
        for (int i = 0; i < seeds.size(); i++) {
            config.put("dino.redis.cluster-nodes." + i, seeds.get(i));
        }
        config.put("dino.redis.cluster-refresh-interval", "PT1S");
        return config;
    }

    /** The live master that serves the slot of {@code key}, as the live nodes see it now. */
    public RedisServer masterOf(String key) {
        int slot = Integer.parseInt(ask("CLUSTER KEYSLOT " + key));
        for (String line : ask("CLUSTER NODES").lines().toList()) {
            String[] fields = line.split(" ");
            if (!fields[2].contains("master") || fields[2].contains("fail")) {
                continue;
            }
            for (int i = 8; i < fields.length; i++) {
                if (fields[i].startsWith("[")) {
                    continue;  // a slot being migrated
                }
                String[] range = fields[i].split("-");
                int from = Integer.parseInt(range[0]);
                int to = range.length == 1 ? from : Integer.parseInt(range[1]);
                if (slot >= from && slot <= to) {
                    return server(fields[1]);
                }
            }
        }
        throw new IllegalStateException("no live master serves slot " + slot + " of " + key + ":\n" + ask("CLUSTER NODES"));
    }

    /** The replicas of a master. */
    public List<RedisServer> replicasOf(RedisServer master) {
        String id = ask(master, "CLUSTER MYID");
        return ask("CLUSTER NODES").lines()
                .map(line -> line.split(" "))
                .filter(fields -> fields[2].contains("slave") && fields[3].equals(id))
                .map(fields -> server(fields[1]))
                .toList();
    }

    /**
     * Waits until a live node other than {@code dead} serves the slot of {@code key} as a master and every
     * live node reports {@code cluster_state:ok}: a failover finished.
     */
    public RedisServer awaitFailover(String key, RedisServer dead, Duration within) {
        await("a replica takes over the slot of " + key + " from port " + dead.port())
                .atMost(within)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> masterOf(key) != dead && live().stream().allMatch(this::clusterOk));
        return masterOf(key);
    }

    /**
     * Moves the slot of {@code key} to master {@code to} while clients go on using it, as resharding does
     * ({@code CLUSTER SETSLOT} IMPORTING/MIGRATING, {@code MIGRATE} of its keys in batches, then
     * {@code SETSLOT NODE} on every master): meanwhile clients get {@code ASK} for keys already moved and,
     * once it is done, {@code MOVED}.
     */
    public void moveSlotOf(String key, RedisServer to) {
        RedisServer from = masterOf(key);
        int slot = io.lettuce.core.cluster.SlotHash.getSlot(key);
        String fromId = ask(from, "CLUSTER MYID");
        String toId = ask(to, "CLUSTER MYID");
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create();
        try (var source = client.connect(io.lettuce.core.RedisURI.create(from.uri()));
             var target = client.connect(io.lettuce.core.RedisURI.create(to.uri()))) {
            target.sync().clusterSetSlotImporting(slot, fromId);
            source.sync().clusterSetSlotMigrating(slot, toId);
            for (List<String> keys = source.sync().clusterGetKeysInSlot(slot, 100); !keys.isEmpty();
                 keys = source.sync().clusterGetKeysInSlot(slot, 100)) {
                source.sync().migrate(FixtureSupport.LOOPBACK, to.port(), 0, 5_000,
                        io.lettuce.core.MigrateArgs.Builder.keys(keys));
            }
            target.sync().clusterSetSlotNode(slot, toId);
            source.sync().clusterSetSlotNode(slot, toId);
            for (RedisServer master : live()) {
                if (master != from && master != to && ask(master, "INFO replication").contains("role:master")) {
                    ask(master, "CLUSTER SETSLOT " + slot + " NODE " + toId);
                }
            }
        } finally {
            client.shutdown();
        }
        await("every node sees slot " + slot + " on port " + to.port())
                .atMost(READY_TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> masterOf(key) == to && live().stream().allMatch(this::clusterOk));
    }

    /** The live masters. */
    public List<RedisServer> masters() {
        return live().stream().filter(server -> ask(server, "INFO replication").contains("role:master")).toList();
    }

    /** Stops a process without killing it (SIGSTOP), as a machine that froze; {@link #resume} goes on. */
    public void freeze(RedisServer server) {
        signal(server, "-STOP");
    }

    public void resume(RedisServer server) {
        signal(server, "-CONT");
    }

    /**
     * The master drops its replicas' connections ({@code CLIENT KILL TYPE replica}): with a replica frozen, it
     * cannot reconnect, so nothing the master takes from now on reaches it.
     */
    public void dropReplicaLinks(RedisServer master) {
        ask(master, "CLIENT KILL TYPE replica");
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (RedisServer server : servers) {
            try {
                server.close();  // SIGKILL, which also ends a frozen (SIGSTOPped) process
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    // ----

    private void create(int replicasPerMaster) {
        List<String> command = new ArrayList<>(List.of(redisCli().toString(), "--cluster", "create"));
        servers.forEach(server -> command.add(FixtureSupport.LOOPBACK + ":" + server.port()));
        command.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
        Path log = FixtureSupport.tempDir("dino-redis-cluster-").resolve("create.log");
        try {
            Process process = FixtureSupport.track(new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start());
            int exit = FixtureSupport.awaitExit(process, CREATE_TIMEOUT_SECONDS, "redis-cli --cluster create");
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + exit + ":\n"
                        + FixtureSupport.tail(log));
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command, e);
        } finally {
            FixtureSupport.deleteTree(log.getParent());
        }
    }

    private void awaitReady() {
        try {
            await("every node of the Redis Cluster reports cluster_state:ok and every replica is in sync")
                    .atMost(READY_TIMEOUT)
                    .pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions()
                    .until(() -> servers.stream().allMatch(server -> clusterOk(server)
                            && ask(server, "CLUSTER INFO").contains("cluster_known_nodes:" + servers.size())
                            && replicaInSync(server)));
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(e.getMessage() + "\n" + servers.stream()
                    .map(server -> server.port() + ": " + askQuietly(server, "CLUSTER INFO").lines().findFirst().orElse(""))
                    .collect(Collectors.joining("\n")), e);
        }
    }

    private boolean clusterOk(RedisServer server) {
        return ask(server, "CLUSTER INFO").contains("cluster_state:ok");
    }

    private boolean replicaInSync(RedisServer server) {
        String replication = ask(server, "INFO replication");
        return replication.contains("role:master") || replication.contains("master_link_status:up");
    }

    private List<RedisServer> live() {
        return servers.stream().filter(RedisServer::isRunning).toList();
    }

    /** {@code ip:port@cport} to the server on that port. */
    private RedisServer server(String address) {
        int port = Integer.parseInt(address.substring(address.indexOf(':') + 1, address.indexOf('@')));
        return servers.stream().filter(server -> server.port() == port).findFirst()
                .orElseThrow(() -> new IllegalStateException("no server of this cluster on port " + port));
    }

    /** Asks the first live node. */
    private String ask(String command) {
        return live().stream().findFirst().map(server -> ask(server, command))
                .orElseThrow(() -> new IllegalStateException("no node of the cluster runs"));
    }

    private static String ask(RedisServer server, String command) {
        try {
            return server.send(command);
        } catch (IOException e) {
            throw new IllegalStateException("port " + server.port() + " answered " + command + " with " + e.getMessage(), e);
        }
    }

    private static String askQuietly(RedisServer server, String command) {
        try {
            return server.send(command);
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    private static void signal(RedisServer server, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(server.pid())).inheritIO().start();
            FixtureSupport.awaitExit(kill, 10, "kill " + signal);
        } catch (IOException e) {
            throw new IllegalStateException("could not send " + signal + " to redis-server " + server.pid(), e);
        }
    }

    private static Path redisCli() {
        return RedisServer.findBinary(RedisServer.defaultCandidates().stream()
                .map(candidate -> candidate.resolveSibling("redis-cli")).toList());
    }
}
