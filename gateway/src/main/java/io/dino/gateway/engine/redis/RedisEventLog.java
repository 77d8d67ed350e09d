package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.EngineUnavailableException;
import io.dino.gateway.engine.EventLog;
import io.dino.gateway.events.DomainEvent;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The events log as one Redis stream (one key: one slot on Redis Cluster), read by watchers and by backends'
 * consumer groups (docs/events.md).
 *
 * <p>Appending never waits for Redis: events go into a bounded queue; one appender thread takes everything
 * waiting (up to {@value #MAX_BATCH}), appends them with {@code events-append.lua} ({@code XADD … MAXLEN ~} per
 * event, up to {@value #MAX_PER_CALL} per call: one command instead of one per event), the calls pipelined on a
 * connection of its own and answered together: one round trip per batch, none on the caller's path.
 * A full queue refuses the event (the caller counts it dropped); a batch Redis fails or does not answer in time
 * is dropped as a whole and counted through {@code lost}: never retried, so the node appends no event twice
 * (though an event whose answer timed out may have been stored and counted lost all the same).
 *
 * <p>Each {@link #reader()} has a connection of its own for its {@code XREAD BLOCK}, so a watcher blocking (or
 * reading slowly) holds up no other reader and none of the node's other commands.
 */
public final class RedisEventLog implements EventLog {

    private static final Logger LOG = System.getLogger(RedisEventLog.class.getName());
    /** Events one pipelined batch carries at most. */
    static final int MAX_BATCH = 512;
    /** Events one script call appends at most. */
    static final int MAX_PER_CALL = 128;
    private static final Pattern POSITION = Pattern.compile("\\d{1,20}(-\\d{1,20})?");
    private static final long IDLE_POLL_MILLIS = 200;

    /** One event waiting for the appender. */
    private record Pending(String node, DomainEvent event) {
    }

    private final String key;
    private final long maxLength;
    private final Duration commandTimeout;
    private final Connection appending;
    private final Supplier<Connection> readers;
    private final IntConsumer lost;
    private final ArrayBlockingQueue<Pending> queue;
    private final Scripts append = Scripts.load("events-append.lua");
    private final Thread appender;
    private volatile boolean closed;

    RedisEventLog(String key, long maxLength, int queueCapacity, Duration commandTimeout, Connection appending,
                  Supplier<Connection> readers, IntConsumer lost) {
        this.key = key;
        this.maxLength = maxLength;
        this.commandTimeout = commandTimeout;
        this.appending = appending;
        this.readers = readers;
        this.lost = lost;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.appender = Thread.ofVirtual().name("dino-events-appender").start(this::appendLoop);
    }

    /** The stream's key. */
    public String key() {
        return key;
    }

    @Override
    public boolean append(String node, DomainEvent event) {
        return !closed && queue.offer(new Pending(node, event));
    }

    private void appendLoop() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            Pending first;
            try {
                first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first == null) {
                if (closed) {
                    return;
                }
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, MAX_BATCH - 1);
            write(batch);
            batch.clear();
        }
    }

    /**
     * One {@code events-append.lua} call per {@value #MAX_PER_CALL} events (in order, so one call does not hold
     * Redis for long), all pipelined, answered together: one round trip per batch, one command per call.
     */
    private void write(List<Pending> batch) {
        String[] keys = {key};
        List<String[]> calls = new ArrayList<>();
        List<RedisFuture<Long>> answers = new ArrayList<>();
        int failed = 0;
        for (int from = 0; from < batch.size(); from += MAX_PER_CALL) {
            List<Pending> part = batch.subList(from, Math.min(batch.size(), from + MAX_PER_CALL));
            String[] args = new String[1 + 3 * part.size()];
            args[0] = Long.toString(maxLength);
            int i = 1;
            for (Pending pending : part) {
                Map<String, String> fields = EventCodec.fields(pending.node(), pending.event());
                args[i++] = fields.get(EventCodec.TYPE);
                args[i++] = fields.get(EventCodec.ROOM);
                args[i++] = fields.get(EventCodec.EVENT);
            }
            try {
                answers.add(append.send(appending, ScriptOutputType.INTEGER, keys, args));
                calls.add(args);
            } catch (RedisException e) {
                failed += part.size();
            }
        }
        for (int call = 0; call < answers.size(); call++) {
            int events = (calls.get(call).length - 1) / 3;
            try {
                append.<Long>await(answers.get(call), commandTimeout, appending, ScriptOutputType.INTEGER, keys, calls.get(call));
            } catch (EngineUnavailableException | RedisException e) {
                failed += events;
            }
        }
        if (failed > 0) {
            LOG.log(Level.WARNING, "{0} of {1} events could not be appended to {2} (dropped)", failed, batch.size(), key);
            lost.accept(failed);
        }
    }

    @Override
    public String last() {
        try {
            List<StreamMessage<String, String>> newest = appending.sync().xrevrange(key, Range.create("-", "+"), Limit.create(0, 1));
            return newest.isEmpty() ? ORIGIN : newest.getFirst().getId();
        } catch (RedisException e) {
            throw new EngineUnavailableException("reading the events stream: " + e.getMessage(), e);
        }
    }

    @Override
    public Reader reader() {
        Connection connection;
        try {
            connection = readers.get();
        } catch (RedisException e) {
            throw new EngineUnavailableException("connecting a reader of the events stream: " + e.getMessage(), e);
        }
        // a blocking read must end before the command timeout fails it
        Duration longestWait = commandTimeout.dividedBy(2);
        return new Reader() {
            @Override
            public Page read(String after, int max, Duration wait) {
                if (!POSITION.matcher(after).matches()) {
                    throw new IllegalArgumentException("not a position of the events stream: '" + after + "'");
                }
                if (closed) {
                    return new Page(List.of(), after);
                }
                XReadArgs args = XReadArgs.Builder.count(max);
                long block = Math.min(wait.toMillis(), longestWait.toMillis());
                if (block > 0) {
                    args.block(block);
                }
                List<StreamMessage<String, String>> messages;
                try {
                    messages = connection.sync().xread(args, XReadArgs.StreamOffset.from(key, after));
                } catch (RedisException e) {
                    throw new EngineUnavailableException("reading the events stream: " + e.getMessage(), e);
                }
                if (messages == null || messages.isEmpty()) {
                    return new Page(List.of(), after);
                }
                List<Entry> entries = new ArrayList<>(messages.size());
                for (StreamMessage<String, String> message : messages) {
                    EventCodec.entry(message.getId(), message.getBody()).ifPresent(entries::add);
                }
                return new Page(entries, messages.getLast().getId());
            }

            @Override
            public void close() {
                connection.close();
            }
        };
    }

    /** Stops taking events, writes what is queued (for a command timeout at most), closes the appender's connection. */
    @Override
    public void close() {
        closed = true;
        try {
            if (!appender.join(commandTimeout.plusMillis(IDLE_POLL_MILLIS * 2))) {
                appender.interrupt();
            }
        } catch (InterruptedException e) {
            appender.interrupt();
            Thread.currentThread().interrupt();
        }
        if (!queue.isEmpty()) {
            lost.accept(queue.size());
            queue.clear();
        }
        appending.close();
    }
}
