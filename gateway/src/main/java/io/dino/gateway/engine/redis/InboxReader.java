package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.DeliveryListener;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Publication;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that reads what this node must deliver: its inbox stream (room and user publications,
 * membership changes, broadcasts), with a blocking XREAD on a connection of its own. One stream means
 * one hash slot, as Redis Cluster requires of a single command. It remembers the last entry ids, so after a Redis
 * outage it goes on where it stopped. For every subscribed log it delivers offsets in order. Concurrent
 * publishers' inbox writes can arrive out of order, so an entry that skips offsets waits in a small
 * per-log buffer for the missing ones; if they have not come within 100 ms, they are read from
 * the log (their inbox write failed); what the log no longer holds is skipped, and clients see the jump
 * in offsets and recover. An offset already delivered is dropped.
 */
final class InboxReader implements AutoCloseable {

    private static final Logger LOG = System.getLogger(InboxReader.class.getName());
    private static final long BLOCK_MILLIS = 1000;
    private static final int BATCH = 512;
    private static final long GAP_WAIT_MILLIS = 100;

    private final StatefulRedisConnection<String, String> connection;
    private final Keys keys;
    private final String node;
    private final RedisBroker broker;
    private volatile boolean running = true;
    private Thread thread;
    // reader thread only
    private String inboxId = "$";
    private final Map<LogId, Pending> pending = new HashMap<>();

    /** Entries of one log that arrived ahead of a missing offset, and since when the gap is open. */
    private static final class Pending {
        final TreeMap<Long, Publication> ahead = new TreeMap<>();
        final long since = System.nanoTime();
    }

    InboxReader(StatefulRedisConnection<String, String> connection, Keys keys, String node, RedisBroker broker) {
        this.connection = connection;
        this.keys = keys;
        this.node = node;
        this.broker = broker;
    }

    void start(DeliveryListener listener) {
        // read the current stream ends first, so nothing published after start() is skipped by "$"
        inboxId = lastId(keys.inbox(node));
        thread = Thread.ofPlatform().daemon().name("dino-inbox-" + node).start(() -> run(listener));
    }

    private String lastId(String stream) {
        List<StreamMessage<String, String>> last = RedisBroker.redis(() ->
                connection.sync().xrevrange(stream, io.lettuce.core.Range.create("-", "+"), io.lettuce.core.Limit.from(1)));
        return last.isEmpty() ? "0-0" : last.getFirst().getId();
    }

    private void run(DeliveryListener listener) {
        Duration backoff = Duration.ofMillis(50);
        while (running) {
            try {
                List<StreamMessage<String, String>> entries = connection.sync().xread(
                        XReadArgs.Builder.block(pending.isEmpty() ? BLOCK_MILLIS : GAP_WAIT_MILLIS / 2).count(BATCH),
                        XReadArgs.StreamOffset.from(keys.inbox(node), inboxId));
                for (StreamMessage<String, String> entry : entries) {
                    inboxId = entry.getId();
                    handle(entry.getBody(), listener);
                }
                fillExpiredGaps(listener);
                backoff = Duration.ofMillis(50);
            } catch (RedisException | io.dino.gateway.engine.EngineUnavailableException e) {
                if (!running) {
                    return;
                }
                LOG.log(Level.WARNING, "reading the inbox failed, retrying in {0}: {1}", backoff, e.getMessage());
                pause(backoff);
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(2)) > 0 ? Duration.ofSeconds(2) : backoff.multipliedBy(2);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "delivering an inbox entry failed; skipping it", e);
            }
        }
    }

    private void handle(Map<String, String> body, DeliveryListener listener) {
        String broadcast = body.get("b");
        if (broadcast != null) {
            listener.onBroadcast(PublicationCodec.decode(broadcast, null, null));
            return;
        }
        String membership = body.get("m");
        if (membership != null) {
            listener.onMembership(body.get("r"), body.get("u"), membership.equals("j"));
            return;
        }
        LogId log = Keys.tokenToLog(body.get("k"));
        Position last = broker.delivered().get(log);
        if (last == null) {
            pending.remove(log);
            return;  // no longer subscribed
        }
        String epoch = body.get("e");
        long offset = Long.parseLong(body.get("o"));
        if (!last.epoch().equals(epoch)) {
            pending.remove(log);  // the log was reset: start over in the new epoch
            last = new Position(epoch, 0);
        }
        if (offset <= last.offset()) {
            return;  // already delivered
        }
        Publication publication = PublicationCodec.decode(body.get("p"), log, new Position(epoch, offset));
        if (offset > last.offset() + 1) {
            pending.computeIfAbsent(log, id -> new Pending()).ahead.put(offset, publication);
            return;
        }
        listener.onPublication(publication);
        deliverContiguous(log, new Position(epoch, offset), listener);
    }

    /** Delivers buffered entries that now follow on, and records the last offset delivered. */
    private void deliverContiguous(LogId log, Position delivered, DeliveryListener listener) {
        Position last = delivered;
        Pending waiting = pending.get(log);
        while (waiting != null && !waiting.ahead.isEmpty() && waiting.ahead.firstKey() <= last.offset() + 1) {
            Publication next = waiting.ahead.pollFirstEntry().getValue();
            if (next.position().offset() == last.offset() + 1) {
                listener.onPublication(next);
                last = next.position();
            }
        }
        if (waiting != null && waiting.ahead.isEmpty()) {
            pending.remove(log);
        }
        Position reached = last;
        broker.delivered().computeIfPresent(log, (id, previous) -> reached);
    }

    /** Gaps open longer than the wait are filled from the log; what it no longer holds is skipped. */
    private void fillExpiredGaps(DeliveryListener listener) {
        if (pending.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        for (LogId log : List.copyOf(pending.keySet())) {
            Pending waiting = pending.get(log);
            Position last = broker.delivered().get(log);
            if (last == null) {
                pending.remove(log);
                continue;
            }
            if (now - waiting.since < TimeUnit.MILLISECONDS.toNanos(GAP_WAIT_MILLIS)) {
                continue;
            }
            long firstAhead = waiting.ahead.firstKey();
            String epoch = waiting.ahead.firstEntry().getValue().position().epoch();
            for (Publication missed : broker.range(log, epoch, last.offset() + 1, firstAhead - 1)) {
                waiting.ahead.putIfAbsent(missed.position().offset(), missed);
            }
            // deliver in order from the first entry we have, skipping what is lost for good
            Position skipTo = new Position(epoch, waiting.ahead.firstKey() - 1);
            deliverContiguous(log, skipTo, listener);
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        // closing the connection ends a blocked XREAD at once instead of after its block time
        connection.close();
        if (thread != null) {
            try {
                thread.join(Duration.ofMillis(BLOCK_MILLIS * 3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
