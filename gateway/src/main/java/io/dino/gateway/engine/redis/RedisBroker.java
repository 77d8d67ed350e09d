package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.Broker;
import io.dino.gateway.engine.DeliveryListener;
import io.dino.gateway.engine.Draft;
import io.dino.gateway.engine.EngineUnavailableException;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.engine.Recovery;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XTrimArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The cluster broker. Each log is a Redis stream whose entry ids are the offsets ({@code 42-0}), with its
 * epoch and last offset in a hash beside it; one Lua script appends atomically and returns the nodes
 * that subscribed to the log. Publishes go through a {@link PublishBatcher}: concurrent ones share a round
 * trip (one script call per log), and the publications are then appended to each interested node's inbox
 * stream, pipelined with the next batch, none per recipient. Each node
 * reads only its own inbox (broadcasts included) in {@link InboxReader}, which also fills gaps
 * from the log, so every subscribed log is delivered in offset order.
 */
public final class RedisBroker implements Broker {


    private final String node;
    private final Keys keys;
    private final Connection connection;
    private final RedisSettings settings;
    private final InstantSource clock;
    private final Scripts subscribe = Scripts.load("subscribe.lua");
    /** Last offset delivered per subscribed log; written by subscribe and by the inbox reader. */
    private final Map<LogId, Position> delivered = new ConcurrentHashMap<>();
    private final InboxReader reader;
    private final ControlRouter control;
    private final PublishBatcher batcher;
    /** Subscribes share it; reconciling interest takes it alone. */
    private final ReentrantReadWriteLock interestChanges = new ReentrantReadWriteLock();
    private NodeRegistry registry;
    private io.lettuce.core.AbstractRedisClient client;
    private List<Connection> connections = List.of();

    RedisBroker(String node, Keys keys, Connection connection, Connection readerConnection,
                Connection publishConnection, RedisSettings settings, InstantSource clock, RedisEngine.Meters meters) {
        this.node = node;
        this.keys = keys;
        this.connection = connection;
        this.settings = settings;
        this.clock = clock;
        this.control = new ControlRouter(node, keys, connection, settings, clock);
        this.reader = new InboxReader(readerConnection, keys, node, this, control, settings.commandTimeout(),
                clock, meters);
        this.batcher = new PublishBatcher(node, keys, publishConnection, settings, clock);
    }

    /**
     * The heartbeat, the client and its connections (other than the reader's, which the reader closes) live and
     * die with the broker.
     */
    void owns(NodeRegistry registry, io.lettuce.core.AbstractRedisClient client, List<Connection> connections) {
        this.registry = registry;
        this.client = client;
        this.connections = List.copyOf(connections);
    }

    @Override
    public void start(DeliveryListener listener) {
        control.start(listener);
        reader.start(listener);
        registry.start();
    }

    @Override
    public Publication publish(LogId log, Draft draft) {
        return publishAll(List.of(log), List.of(draft)).getFirst();
    }

    @Override
    public List<Publication> publishEach(java.util.SequencedMap<LogId, Draft> drafts) {
        return publishAll(List.copyOf(drafts.keySet()), List.copyOf(drafts.values()));
    }

    /**
     * The publications go to Redis with the next batch of the {@link PublishBatcher}, all in the same one
     * (one round trip, with whatever other publishes are waiting); each answer is its own.
     */
    private List<Publication> publishAll(List<LogId> logs, List<Draft> drafts) {
        List<java.util.concurrent.CompletableFuture<Publication>> answers = batcher.submit(logs, drafts);
        List<Publication> publications = new ArrayList<>(answers.size());
        long deadline = System.nanoTime() + batcher.longestWait().toNanos();
        for (java.util.concurrent.CompletableFuture<Publication> answer : answers) {
            try {
                publications.add(answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof EngineUnavailableException unavailable) {
                    // one failure may answer several callers: each throws its own, from its own thread
                    throw new EngineUnavailableException(unavailable.getMessage(), unavailable);
                }
                throw new EngineUnavailableException("publish failed: " + e.getCause(), e.getCause());
            } catch (java.util.concurrent.TimeoutException e) {
                throw new EngineUnavailableException("Redis did not store the publication within " + batcher.longestWait(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineUnavailableException("interrupted while publishing", e);
            }
        }
        return publications;
    }

    @Override
    public void broadcast(Publication publication) {
        // into every live node's inbox: each node then reads one stream (one hash slot) only
        appendToInboxes(redis(() -> sync().zrange(keys.nodes(), 0, -1)), Map.of("b", PublicationCodec.encode(publication)));
    }

    @Override
    public void announceMembership(String room, String user, boolean joined, io.dino.gateway.engine.Audience audience) {
        appendToInboxes(redis(() -> sync().smembers(keys.interest(LogId.room(room)))), membership(room, user, joined, audience));
    }

    /** A membership inbox entry: {@code m} j/l, {@code r} room, {@code u} user, {@code h} the audience if not everyone (o/n). */
    static Map<String, String> membership(String room, String user, boolean joined, io.dino.gateway.engine.Audience audience) {
        return switch (audience) {
            case EVERYONE -> Map.of("m", joined ? "j" : "l", "r", room, "u", user);
            case OPERATORS -> Map.of("m", joined ? "j" : "l", "r", room, "u", user, "h", "o");
            case NON_OPERATORS -> Map.of("m", joined ? "j" : "l", "r", room, "u", user, "h", "n");
        };
    }

    /** One XADD per node, pipelined on the shared connection, then one wait for all of them. */
    private void appendToInboxes(Collection<?> nodes, Map<String, String> entry) {
        awaitAll(sendToInboxes(nodes, entry));
    }

    /** One XADD per node, pipelined on the shared connection, not waited for. */
    List<io.lettuce.core.RedisFuture<String>> sendToInboxes(Collection<?> nodes, Map<String, String> entry) {
        RedisClusterAsyncCommands<String, String> async = connection.async();
        List<io.lettuce.core.RedisFuture<String>> sent = new ArrayList<>(nodes.size());
        for (Object target : nodes) {
            sent.add(async.xadd(keys.inbox((String) target), inboxArgs(), entry));
        }
        return sent;
    }

    @Override
    public int control(LogId holders, io.dino.gateway.engine.Control command) {
        return control.dispatch(holders, command);
    }

    /**
     * The node's record of its interest ({@code nodeInterest}) is written before the log's interest set and
     * removed after it, so it always covers it: whatever a failure leaves half done, reconciliation finds it.
     */
    @Override
    public void subscribe(LogId log) {
        interestChanges.readLock().lock();
        try {
            redis(() -> sync().sadd(keys.nodeInterest(node), Keys.logToken(log)));
            List<Object> top = redis(() -> subscribe.run(sync(), ScriptOutputType.MULTI,
                    new String[] {keys.meta(log), keys.interest(log)}, node));
            delivered.put(log, new Position((String) top.get(0), Long.parseLong(String.valueOf(top.get(1)))));
        } finally {
            interestChanges.readLock().unlock();
        }
    }

    /** Runs a change of this node's interest that must not overlap a reconciliation (see {@link #subscribe}). */
    <T> T changingInterest(Supplier<T> change) {
        interestChanges.readLock().lock();
        try {
            return change.get();
        } finally {
            interestChanges.readLock().unlock();
        }
    }

    @Override
    public void unsubscribe(LogId log) {
        interestChanges.readLock().lock();
        try {
            delivered.remove(log);
            redis(() -> sync().srem(keys.interest(log), node));
            redis(() -> sync().srem(keys.nodeInterest(node), Keys.logToken(log)));
        } finally {
            interestChanges.readLock().unlock();
        }
    }

    /** Reads the meta hash only: a log without one has no publications, and reading must not create it. */
    @Override
    public Position top(LogId log) {
        return position(redis(() -> sync().hmget(keys.meta(log), "epoch", "top")));
    }

    /** One round trip: the log's position and the page, pipelined. */
    @Override
    public Page pageBefore(LogId log, long offset, int limit) {
        RedisClusterAsyncCommands<String, String> async = connection.async();
        io.lettuce.core.RedisFuture<List<KeyValue<String, String>>> meta = async.hmget(keys.meta(log), "epoch", "top");
        io.lettuce.core.RedisFuture<List<StreamMessage<String, String>>> newestFirst = offset <= 1 || limit <= 0 ? null
                : async.xrevrange(keys.log(log), Range.create("-", offset == Long.MAX_VALUE ? "+" : (offset - 1) + "-0"),
                        Limit.from(limit));
        Position top = position(await(meta));
        if (newestFirst == null || top.equals(Position.EMPTY)) {
            return new Page(top, List.of());  // a stream left without its meta hash belongs to no epoch
        }
        return new Page(top, decodeAll(log, top.epoch(), await(newestFirst).reversed()));
    }

    /** One round trip: the log's position and the page, pipelined. */
    @Override
    public Page pageAfter(LogId log, long offset, int limit) {
        RedisClusterAsyncCommands<String, String> async = connection.async();
        io.lettuce.core.RedisFuture<List<KeyValue<String, String>>> meta = async.hmget(keys.meta(log), "epoch", "top");
        io.lettuce.core.RedisFuture<List<StreamMessage<String, String>>> oldestFirst = limit <= 0 || offset == Long.MAX_VALUE
                ? null : async.xrange(keys.log(log), Range.create((offset + 1) + "-0", "+"), Limit.from(limit));
        Position top = position(await(meta));
        if (oldestFirst == null || top.equals(Position.EMPTY)) {
            return new Page(top, List.of());
        }
        return new Page(top, decodeAll(log, top.epoch(), await(oldestFirst)));
    }

    @Override
    public Recovery recover(LogId log, Position since, int limit) {
        return sendRecovery(log, top(log), since, limit).get();
    }

    /**
     * Recovery for a log whose top was just read: sends the one read it needs, if any, without waiting, so it
     * can share a round trip; the supplier waits for it.
     */
    Supplier<Recovery> sendRecovery(LogId log, Position top, Position since, int limit) {
        Position from = since.within(top);
        long missing = top.offset() - from.offset();
        if (!top.epoch().equals(from.epoch()) || missing < 0 || missing > limit) {
            return () -> Recovery.notRecovered(top);
        }
        Supplier<Optional<List<Publication>>> missed = sendRangeInEpoch(log, top.epoch(), from.offset() + 1, top.offset());
        return () -> {
            Optional<List<Publication>> held = missed.get();
            if (held.isEmpty() || held.get().size() != missing) {
                return Recovery.notRecovered(top);
            }
            return new Recovery(true, held.get(), top);
        };
    }

    @Override
    public java.util.Optional<String> unavailable() {
        return registry == null ? java.util.Optional.of("not started") : registry.problem();
    }

    @Override
    public void close() {
        registry.close();
        reader.close();
        batcher.close();
        // closed before the client: the cluster client's shutdown would close their per-node connections twice
        // (lettuce logs "Connection is already closed" for each)
        connections.forEach(Connection::close);
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    // ---- used by the inbox reader

    /** The log's epoch, if it has one. */
    Optional<String> currentEpoch(LogId log) {
        return Optional.ofNullable(redis(() -> sync().hget(keys.meta(log), "epoch")));
    }

    /**
     * Publications of a log from offset {@code from} to {@code to}, both included, that the log still holds,
     * read in one round trip with the log's epoch; empty when the log is no longer in that epoch.
     */
    Optional<List<Publication>> rangeInEpoch(LogId log, String epoch, long from, long to) {
        return sendRangeInEpoch(log, epoch, from, to).get();
    }

    private Supplier<Optional<List<Publication>>> sendRangeInEpoch(LogId log, String epoch, long from, long to) {
        if (from > to) {
            return () -> Optional.of(List.of());
        }
        RedisClusterAsyncCommands<String, String> async = connection.async();
        io.lettuce.core.RedisFuture<String> current = async.hget(keys.meta(log), "epoch");
        io.lettuce.core.RedisFuture<List<StreamMessage<String, String>>> entries =
                async.xrange(keys.log(log), Range.create(from + "-0", to + "-0"));
        return () -> epoch.equals(await(current)) ? Optional.of(decodeAll(log, epoch, await(entries))) : Optional.empty();
    }

    /** The positions of several logs in one round trip; logs without an epoch are left out. */
    Map<LogId, Position> tops(List<LogId> logs) {
        RedisClusterAsyncCommands<String, String> async = connection.async();
        List<io.lettuce.core.RedisFuture<List<io.lettuce.core.KeyValue<String, String>>>> sent = new ArrayList<>(logs.size());
        for (LogId log : logs) {
            sent.add(async.hmget(keys.meta(log), "epoch", "top"));
        }
        Map<LogId, Position> tops = new java.util.HashMap<>();
        for (int i = 0; i < logs.size(); i++) {
            List<io.lettuce.core.KeyValue<String, String>> fields = await(sent.get(i));
            if (fields.get(0).hasValue() && fields.get(1).hasValue()) {
                tops.put(logs.get(i), new Position(fields.get(0).getValue(), Long.parseLong(fields.get(1).getValue())));
            }
        }
        return tops;
    }

    Map<LogId, Position> delivered() {
        return delivered;
    }

    /**
     * Makes the interest recorded in Redis match the logs this node delivers, both ways: a log it delivers
     * but Redis lost (an outage, a cleanup after the node was taken for dead) is added back; a log it no
     * longer delivers whose removal failed is removed. With {@code everything}, all interest is written again
     * (a cleanup that stopped half way can leave a log's set without the node while the node's record has it).
     * Subscribes and unsubscribes wait meanwhile, so the comparison never sees one half done.
     */
    void reconcileInterest(boolean everything) {
        interestChanges.writeLock().lock();
        try {
            Set<String> recorded = redis(() -> sync().smembers(keys.nodeInterest(node)));
            Set<String> wanted = new java.util.HashSet<>();
            delivered.keySet().forEach(log -> wanted.add(Keys.logToken(log)));
            RedisClusterAsyncCommands<String, String> async = connection.async();
            List<io.lettuce.core.RedisFuture<Long>> sent = new ArrayList<>();
            for (String token : wanted) {
                if (everything || !recorded.contains(token)) {
                    sent.add(async.sadd(keys.nodeInterest(node), token));
                    sent.add(async.sadd(keys.interest(Keys.tokenToLog(token)), node));
                }
            }
            for (String token : recorded) {
                if (!wanted.contains(token)) {
                    sent.add(async.srem(keys.interest(Keys.tokenToLog(token)), node));
                    sent.add(async.srem(keys.nodeInterest(node), token));
                }
            }
            awaitAll(sent);
        } finally {
            interestChanges.writeLock().unlock();
        }
    }

    /**
     * Drops what this node read from its inbox more than a heartbeat interval before the last entry it
     * read. Only this node reads its inbox, and gaps are filled from the logs, so read entries serve
     * nothing: the inbox then holds seconds of traffic instead of inbox-max-length bodies, which stays
     * only the bound for a node that stopped reading. The cut is an id of the stream itself, so node
     * and Redis clocks do not matter; approximate trimming frees whole stream nodes only.
     */
    void trimInbox() {
        String read = reader.position();
        int dash = read.indexOf('-');
        if (dash < 0) {
            return;  // nothing read yet
        }
        long keepFrom = Long.parseLong(read, 0, dash, 10) - settings.heartbeatInterval().toMillis();
        if (keepFrom > 0) {
            redis(() -> sync().xtrim(keys.inbox(node), XTrimArgs.Builder.minId(keepFrom + "-0").approximateTrimming()));
        }
    }

    // ----

    private static List<Publication> decodeAll(LogId log, String epoch, List<StreamMessage<String, String>> entries) {
        List<Publication> result = new ArrayList<>(entries.size());
        for (StreamMessage<String, String> entry : entries) {
            result.add(decode(log, epoch, entry));
        }
        return result;
    }

    static Position position(List<KeyValue<String, String>> meta) {
        if (!meta.get(0).hasValue()) {
            return Position.EMPTY;
        }
        return new Position(meta.get(0).getValue(), Long.parseLong(meta.get(1).getValueOrElse("0")));
    }

    private static Publication decode(LogId log, String epoch, StreamMessage<String, String> entry) {
        String id = entry.getId();
        long offset = Long.parseLong(id, 0, id.indexOf('-'), 10);
        return PublicationCodec.decode(entry.getBody().get("p"), log, new Position(epoch, offset));
    }

    private XAddArgs inboxArgs() {
        return new XAddArgs().maxlen(settings.inboxMaxLength()).approximateTrimming();
    }


    private RedisClusterCommands<String, String> sync() {
        return connection.sync();
    }

    <T> T await(io.lettuce.core.RedisFuture<T> future) {
        try {
            return future.get(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineUnavailableException("interrupted while reading from Redis", e);
        } catch (Exception e) {
            throw new EngineUnavailableException("Redis read failed: " + e.getMessage(), e);
        }
    }

    <T> void awaitAll(List<io.lettuce.core.RedisFuture<T>> futures) {
        try {
            for (io.lettuce.core.RedisFuture<T> future : futures) {
                future.get(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineUnavailableException("interrupted while writing to Redis", e);
        } catch (Exception e) {
            throw new EngineUnavailableException("Redis write failed: " + e.getMessage(), e);
        }
    }

    static <T> T redis(Supplier<T> call) {
        try {
            return call.get();
        } catch (RedisException e) {
            throw new EngineUnavailableException("Redis: " + e.getMessage(), e);
        }
    }
}
