package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.Draft;
import io.dino.gateway.engine.EngineUnavailableException;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.engine.Retention;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Stores publications in their logs in batches. Publishes wait in a queue while a batch is at Redis; the
 * one sender thread then takes everything waiting, groups it by log (arrival order kept within a log) and
 * sends one {@code publish.lua} call per log, all pipelined and written with one flush: one round trip
 * for the whole batch. Each caller is answered as soon as its own publication is stored (or failed), then
 * the batch's routing to the interested nodes' inboxes is written with one more flush and not waited for:
 * the next batch's scripts follow it on the same connection.
 *
 * <p>The connection has automatic flushing off, so only the sender thread uses it: everything it writes
 * goes out at its next {@code flush}. A failure is per log call: a log whose call fails (a key of
 * the wrong type, say) fails its own callers only, and within a call {@code publish.lua} answers each
 * publication separately. Redis unavailable fails every caller of the batch with
 * {@link EngineUnavailableException}.
 *
 * <p>With {@code dino.redis.wait-replicas}, the callers are answered (and the batch routed) only after a
 * {@code WAIT} on every server that stored one of the batch's publications, on the connection that carried
 * the scripts: nobody sees a publication that a failover could still take back. A server whose replicas do
 * not confirm in time fails the callers of its calls (their publications are stored, but could be lost).
 */
final class PublishBatcher implements AutoCloseable {

    private static final Logger LOG = System.getLogger(PublishBatcher.class.getName());
    /** Publications of one log in one script call at most, so that one call does not hold Redis for long. */
    static final int MAX_PER_CALL = 100;
    private static final long IDLE_WAIT_MILLIS = 1000;
    /** While waiting for an answer, the connection is flushed this often (see {@link #awaitFlushing}). */
    private static final long REDIRECT_FLUSH_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** One publish waiting for its answer. */
    private record Pending(LogId log, Draft draft, String encoded, CompletableFuture<Publication> answer) {
    }

    /** Publications stored in one log by one call, with the nodes to route them to. */
    private record Routing(LogId log, List<Publication> stored, List<String> encoded, List<Object> nodes) {
    }

    /**
     * What one script call produced: how to answer its callers, and its routing (null when nothing new was
     * stored or nobody is interested); answered once replication is confirmed.
     */
    private record CallResult(List<Pending> call, String slotKey, List<Runnable> answers, boolean storedNew, Routing routing) {
    }

    private final Keys keys;
    private final Connection connection;
    private final RedisSettings settings;
    private final InstantSource clock;
    private final Scripts publish = Scripts.load("publish.lua");
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    // guarded by lock
    private List<Pending> queue = new ArrayList<>();
    // guarded by lock
    private boolean running = true;
    /** Inbox appends that failed since the sender last logged them; counted on lettuce's threads. */
    private final LongAdder routingFailures = new LongAdder();
    private volatile String lastRoutingFailure = "";
    private final Thread sender;

    /**
     * @param connection a connection of its own, with automatic flushing turned off; only this batcher's
     *                   thread uses it from now on
     */
    PublishBatcher(String node, Keys keys, Connection connection, RedisSettings settings,
                   InstantSource clock) {
        this.keys = keys;
        this.connection = connection;
        this.settings = settings;
        this.clock = clock;
        this.sender = Thread.ofPlatform().daemon().name("dino-publish-" + node).start(this::run);
    }

    /**
     * Queues the publications; they go to Redis with the next batch, all of them in the same one. The answers
     * are in the same order; each completes with the stored (or first, for a repeated idempotency key)
     * publication, or fails with {@link EngineUnavailableException}.
     */
    List<CompletableFuture<Publication>> submit(List<LogId> logs, List<Draft> drafts) {
        List<Pending> added = new ArrayList<>(logs.size());
        List<CompletableFuture<Publication>> answers = new ArrayList<>(logs.size());
        for (int i = 0; i < logs.size(); i++) {
            Draft draft = drafts.get(i);
            CompletableFuture<Publication> answer = new CompletableFuture<>();
            added.add(new Pending(logs.get(i), draft,
                    PublicationCodec.encode(draft.id(), draft.sender(), draft.timestamp(), draft.bodyJson(), draft.whisper()), answer));
            answers.add(answer);
        }
        lock.lock();
        try {
            if (!running) {
                throw new EngineUnavailableException("the Redis engine is closed");
            }
            queue.addAll(added);
            arrived.signal();
        } finally {
            lock.unlock();
        }
        return answers;
    }

    /**
     * The longest a caller waits: its batch may wait for the one at Redis (a command timeout), then take
     * one itself, one more when Redis forgot the script, and one for the replicas when they are waited for.
     */
    Duration longestWait() {
        return settings.commandTimeout().multipliedBy(settings.waitReplicas() > 0 ? 4 : 3);
    }

    private void run() {
        while (true) {
            List<Pending> batch = next();
            if (batch == null) {
                return;
            }
            try {
                List<Routing> routings = store(batch);
                route(routings);
            } catch (RuntimeException e) {
                // a bug rather than Redis: answer everyone still waiting, keep the thread
                LOG.log(Level.ERROR, "storing a batch of publications failed", e);
                batch.forEach(p -> p.answer().completeExceptionally(new EngineUnavailableException("publish failed: " + e, e)));
            }
            reportRoutingFailures();
        }
    }

    /** Everything queued, waiting for it when nothing is; null once closed. */
    private List<Pending> next() {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (!running) {
                    return null;
                }
                if (!arrived.await(IDLE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                    lock.unlock();
                    try {
                        reportRoutingFailures();
                    } finally {
                        lock.lock();
                    }
                }
            }
            List<Pending> batch = queue;
            queue = new ArrayList<>();
            return batch;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** One script call per log (per {@value #MAX_PER_CALL} publications), one flush, then each answer. */
    private List<Routing> store(List<Pending> batch) {
        Map<LogId, List<Pending>> byLog = new LinkedHashMap<>();
        for (Pending pending : batch) {
            byLog.computeIfAbsent(pending.log(), log -> new ArrayList<>()).add(pending);
        }
        List<List<Pending>> calls = new ArrayList<>();
        for (List<Pending> ofLog : byLog.values()) {
            for (int from = 0; from < ofLog.size(); from += MAX_PER_CALL) {
                calls.add(ofLog.subList(from, Math.min(ofLog.size(), from + MAX_PER_CALL)));
            }
        }
        List<String[]> callKeys = new ArrayList<>(calls.size());
        List<String[]> callArgs = new ArrayList<>(calls.size());
        for (List<Pending> call : calls) {
            callKeys.add(scriptKeys(call));
            callArgs.add(scriptArgs(call));
        }
        List<RedisFuture<List<Object>>> sent = send(callKeys, callArgs, null);
        List<Integer> forgotten = new ArrayList<>();
        List<CallResult> results = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            CallResult result = result(calls.get(i), callKeys.get(i)[1], sent.get(i), true);
            if (result == null) {
                forgotten.add(i);
            } else {
                results.add(result);
            }
        }
        if (!forgotten.isEmpty()) {
            // Redis restarted (or a replica took over) and does not know the script: send those calls again
            // with the script's text; they ran nothing the first time
            List<RedisFuture<List<Object>>> again = send(callKeys, callArgs, forgotten);
            for (int i : forgotten) {
                results.add(result(calls.get(i), callKeys.get(i)[1], again.get(i), false));
            }
        }
        if (settings.waitReplicas() > 0) {
            confirmReplicated(results);
        }
        List<Routing> routings = new ArrayList<>();
        for (CallResult result : results) {
            result.answers().forEach(Runnable::run);
            if (result.routing() != null) {
                routings.add(result.routing());
            }
        }
        return routings;
    }

    /**
     * Sends the calls ({@code only} those, by their script text, when given) pipelined, with one flush; the
     * list has a future for every call, null for those not sent.
     */
    private List<RedisFuture<List<Object>>> send(List<String[]> callKeys, List<String[]> callArgs, List<Integer> only) {
        RedisClusterAsyncCommands<String, String> async = connection.async();
        List<RedisFuture<List<Object>>> sent = new ArrayList<>(callKeys.size());
        for (int i = 0; i < callKeys.size(); i++) {
            if (only == null) {
                sent.add(async.evalsha(publish.sha(), ScriptOutputType.MULTI, callKeys.get(i), callArgs.get(i)));
            } else {
                sent.add(only.contains(i) ? async.eval(publish.source(), ScriptOutputType.MULTI, callKeys.get(i), callArgs.get(i)) : null);
            }
        }
        connection.flush();
        return sent;
    }

    /**
     * How to answer the callers of one script call; null when Redis did not know the script and
     * {@code mayRetry}.
     */
    private CallResult result(List<Pending> call, String slotKey, RedisFuture<List<Object>> sent, boolean mayRetry) {
        List<Object> result;
        try {
            result = awaitFlushing(sent);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RedisNoScriptException && mayRetry) {
                return null;
            }
            return failed(call, slotKey, new EngineUnavailableException("Redis: " + e.getCause().getMessage(), e.getCause()));
        } catch (TimeoutException e) {
            return failed(call, slotKey, new EngineUnavailableException("Redis did not answer within " + settings.commandTimeout(), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(call, slotKey, new EngineUnavailableException("interrupted while waiting for Redis", e));
        }
        @SuppressWarnings("unchecked")
        List<Object> nodes = (List<Object>) result.getFirst();
        List<Runnable> answers = new ArrayList<>(call.size());
        List<Publication> stored = new ArrayList<>();
        List<String> encoded = new ArrayList<>();
        for (int i = 0; i < call.size(); i++) {
            Pending pending = call.get(i);
            @SuppressWarnings("unchecked")
            List<Object> answer = (List<Object>) result.get(i + 1);
            long status = (Long) answer.get(0);
            if (status < 0) {
                EngineUnavailableException failure = new EngineUnavailableException("Redis: " + answer.get(1));
                answers.add(() -> pending.answer().completeExceptionally(failure));
                continue;
            }
            Position position = new Position((String) answer.get(1), Long.parseLong(String.valueOf(answer.get(2))));
            if (status == 0) {
                Publication first = PublicationCodec.decode((String) answer.get(3), pending.log(), position);
                answers.add(() -> pending.answer().complete(first));
                continue;
            }
            Publication publication = pending.draft().at(pending.log(), position);
            answers.add(() -> pending.answer().complete(publication));
            stored.add(publication);
            encoded.add(pending.encoded());
        }
        Routing routing = stored.isEmpty() || nodes.isEmpty() ? null
                : new Routing(call.getFirst().log(), stored, encoded, nodes);
        return new CallResult(call, slotKey, answers, !stored.isEmpty(), routing);
    }

    /**
     * The answer, within the command timeout. A command that a Redis Cluster redirects (MOVED, ASK) is written
     * again to another node's connection, where it waits for the next flush like everything on this connection:
     * so the wait flushes now and then.
     */
    private <T> T awaitFlushing(RedisFuture<T> sent) throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + settings.commandTimeout().toNanos();
        while (true) {
            try {
                return sent.get(Math.min(REDIRECT_FLUSH_NANOS, Math.max(0, deadline - System.nanoTime())), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                connection.flush();
            }
        }
    }

    private static CallResult failed(List<Pending> call, String slotKey, EngineUnavailableException failure) {
        return new CallResult(call, slotKey, List.of(() -> failAll(call, failure)), false, null);
    }

    /**
     * A {@code WAIT} on each server that stored a new publication of the batch, on the connection that carried
     * the scripts (their answers are in, so the WAIT covers them); the calls of a server whose replicas do not
     * confirm in time fail instead of being answered, and are not routed.
     */
    private void confirmReplicated(List<CallResult> results) {
        Map<RedisClusterAsyncCommands<String, String>, List<Integer>> byServer = new java.util.IdentityHashMap<>();
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).storedNew()) {
                byServer.computeIfAbsent(connection.serverOf(results.get(i).slotKey()), server -> new ArrayList<>()).add(i);
            }
        }
        if (byServer.isEmpty()) {
            return;
        }
        Map<RedisFuture<Long>, List<Integer>> waits = new LinkedHashMap<>();
        byServer.forEach((server, indexes) ->
                waits.put(server.waitForReplication(settings.waitReplicas(), settings.waitTimeout().toMillis()), indexes));
        connection.flush();
        waits.forEach((wait, indexes) -> {
            String problem = replicationProblem(wait);
            if (problem != null) {
                for (int i : indexes) {
                    results.set(i, failed(results.get(i).call(), results.get(i).slotKey(), new EngineUnavailableException(problem)));
                }
            }
        });
    }

    /** Null when enough replicas confirmed; else why not. */
    private String replicationProblem(RedisFuture<Long> wait) {
        try {
            long replicas = awaitFlushing(wait);
            return replicas >= settings.waitReplicas() ? null : "publication stored, but " + replicas + " of the "
                    + settings.waitReplicas() + " replicas required had it within " + settings.waitTimeout();
        } catch (ExecutionException e) {
            return "publication stored, but its replication could not be confirmed: " + e.getCause().getMessage();
        } catch (TimeoutException e) {
            return "publication stored, but Redis did not answer WAIT within " + settings.commandTimeout();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while waiting for the replicas";
        }
    }

    /**
     * One XADD per publication and interested node, written with one flush and not waited for: the
     * publishes stand once stored. The entry carries the publication: a node whose reader lags reads it
     * from its inbox even after the log dropped it (a log keeps only retained-per-log entries). A node that misses an entry fills the gap from the log on its next
     * message for that log, or when its inbox reader's audit finds the log's top ahead of it.
     */
    private void route(List<Routing> routings) {
        if (routings.isEmpty()) {
            return;
        }
        RedisClusterAsyncCommands<String, String> async = connection.async();
        XAddArgs inboxArgs = new XAddArgs().maxlen(settings.inboxMaxLength()).approximateTrimming();
        for (Routing routing : routings) {
            String token = Keys.logToken(routing.log());
            for (int i = 0; i < routing.stored().size(); i++) {
                Position position = routing.stored().get(i).position();
                Map<String, String> entry = Map.of("k", token, "e", position.epoch(), "o", Long.toString(position.offset()),
                        "p", routing.encoded().get(i));
                for (Object node : routing.nodes()) {
                    async.xadd(keys.inbox((String) node), inboxArgs, entry).whenComplete((id, failure) -> {
                        if (failure != null) {
                            lastRoutingFailure = failure.getMessage();
                            routingFailures.increment();
                        }
                    });
                }
            }
        }
        connection.flush();
    }

    private void reportRoutingFailures() {
        long failed = routingFailures.sumThenReset();
        if (failed > 0) {
            LOG.log(Level.WARNING, "routing {0} inbox entries failed (the messages are stored; readers catch up from "
                    + "the logs): {1}", failed, lastRoutingFailure);
        }
    }

    private String[] scriptKeys(List<Pending> call) {
        LogId log = call.getFirst().log();
        String[] scriptKeys = new String[3 + call.size()];
        scriptKeys[0] = keys.meta(log);
        scriptKeys[1] = keys.log(log);
        scriptKeys[2] = keys.interest(log);
        for (int i = 0; i < call.size(); i++) {
            String key = call.get(i).draft().idempotencyKey();
            scriptKeys[3 + i] = key.isEmpty() ? keys.meta(log) : keys.idempotency(log, key);
        }
        return scriptKeys;
    }

    private String[] scriptArgs(List<Pending> call) {
        long oldest = settings.maxAge().isZero() ? 0 : clock.millis() - settings.maxAge().toMillis();
        String[] args = new String[5 + 2 * call.size()];
        args[0] = newEpoch();
        args[1] = Integer.toString(settings.retainedPerLog());
        args[2] = Long.toString(settings.idempotencyWindow().toMillis());
        args[3] = Long.toString(oldest);
        args[4] = Long.toString(Retention.idleLifetime(settings.maxAge()).toMillis());
        for (int i = 0; i < call.size(); i++) {
            args[5 + 2 * i] = call.get(i).encoded();
            args[6 + 2 * i] = Long.toString(call.get(i).draft().timestamp());
        }
        return args;
    }

    private String newEpoch() {
        return Long.toString(clock.millis(), 36) + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36), 36);
    }

    private static void failAll(List<Pending> call, EngineUnavailableException failure) {
        call.forEach(p -> p.answer().completeExceptionally(failure));
    }

    /** Stops taking publishes; what is queued and not yet sent fails as unavailable. */
    @Override
    public void close() {
        List<Pending> left;
        lock.lock();
        try {
            running = false;
            left = queue;
            queue = new ArrayList<>();
            arrived.signal();
        } finally {
            lock.unlock();
        }
        left.forEach(p -> p.answer().completeExceptionally(new EngineUnavailableException("the Redis engine is closed")));
        try {
            sender.join(longestWait());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
