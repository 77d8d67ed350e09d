package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.Audience;
import io.dino.gateway.engine.DeliveryListener;
import io.dino.gateway.engine.EngineUnavailableException;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Publication;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that reads what this node must deliver: its inbox stream (room and user publications,
 * membership changes, broadcasts, control commands and their acknowledgements), with a blocking XREAD on
 * a connection of its own. One stream means one hash slot, as Redis Cluster requires of a single command.
 * It remembers the last entry id, so after a Redis outage it goes on where it stopped.
 *
 * <p>Publications go through {@link LogOrder}, which delivers each subscribed log in offset order. A gap
 * still open after {@value #GAP_WAIT_MILLIS} ms is filled from the log. And because an inbox write can fail
 * after the log append succeeded (the publish stands: the message is stored), every
 * {@value #AUDIT_MILLIS} ms the reader compares the tops of a slice of its subscribed logs with what it
 * delivered; a log still behind at the next audit is caught up from the log. A message stored but never
 * routed is therefore delivered live within two audits (more for a node subscribed to more than
 * {@value #AUDIT_SLICE} logs: the audit goes round them in slices).
 */
final class InboxReader implements AutoCloseable {

    private static final Logger LOG = System.getLogger(InboxReader.class.getName());
    private static final long MAX_BLOCK_MILLIS = 1000;
    private static final int BATCH = 512;
    static final long GAP_WAIT_MILLIS = 100;
    static final long AUDIT_MILLIS = 1000;
    static final int AUDIT_SLICE = 2000;

    private final Connection connection;
    private final Keys keys;
    private final String node;
    private final RedisBroker broker;
    private final ControlRouter control;
    private final LogOrder order;
    private volatile boolean running = true;
    private Thread thread;
    // written by the reader thread only; housekeeping reads it to trim the inbox behind it
    private volatile String inboxId = "$";
    // reader thread only
    private long nextAudit;
    private Iterator<LogId> auditCursor;
    /** Logs found behind at an earlier audit, with the top seen then. */
    private final Map<LogId, Position> suspects = new HashMap<>();

    /**
     * The blocking read must end well within the command timeout, which lettuce applies to every command: a
     * read that blocked as long as the timeout would fail whenever the inbox is quiet, and starve the audit.
     */
    private final long blockMillis;
    private final java.time.InstantSource clock;
    private final RedisEngine.Meters meters;

    InboxReader(Connection connection, Keys keys, String node, RedisBroker broker,
                ControlRouter control, Duration commandTimeout, java.time.InstantSource clock, RedisEngine.Meters meters) {
        this.connection = connection;
        this.clock = clock;
        this.meters = meters;
        this.blockMillis = Math.max(GAP_WAIT_MILLIS / 2, Math.min(MAX_BLOCK_MILLIS, commandTimeout.toMillis() / 2));
        this.keys = keys;
        this.node = node;
        this.broker = broker;
        this.control = control;
        this.order = new LogOrder(broker.delivered(), TimeUnit.MILLISECONDS.toNanos(GAP_WAIT_MILLIS));
    }

    void start(DeliveryListener listener) {
        // read the current stream end first, so nothing published after start() is skipped by "$"
        inboxId = lastId(keys.inbox(node));
        nextAudit = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(AUDIT_MILLIS);
        thread = Thread.ofPlatform().daemon().name("dino-inbox-" + node).start(() -> run(listener));
    }

    /** The id of the last entry this node has read from its inbox: everything up to it is done with. */
    String position() {
        return inboxId;
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
                        XReadArgs.Builder.block(order.hasWaiting() ? GAP_WAIT_MILLIS / 2 : blockMillis).count(BATCH),
                        XReadArgs.StreamOffset.from(keys.inbox(node), inboxId));
                meters.inboxLagMillis().accept(entries.isEmpty() ? 0 : lagMillis(entries.getFirst().getId()));
                for (StreamMessage<String, String> entry : entries) {
                    inboxId = entry.getId();
                    handle(entry.getBody(), listener);
                }
                fillExpiredGaps(listener);
                if (System.nanoTime() - nextAudit >= 0) {
                    audit(listener);
                    nextAudit = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(AUDIT_MILLIS);
                }
                backoff = Duration.ofMillis(50);
            } catch (RedisException | EngineUnavailableException e) {
                if (!running) {
                    return;
                }
                meters.inboxReadFailed().run();
                LOG.log(Level.WARNING, "reading the inbox failed, retrying in {0}: {1}", backoff, e.getMessage());
                pause(backoff);
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(2)) > 0 ? Duration.ofSeconds(2) : backoff.multipliedBy(2);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "delivering an inbox entry failed; skipping it", e);
            }
        }
    }

    /** How long ago Redis added the entry {@code id} ({@code <millis>-<seq>}, Redis's clock against ours). */
    private long lagMillis(String id) {
        int dash = id.indexOf('-');
        return Math.max(0, clock.millis() - Long.parseLong(dash < 0 ? id : id.substring(0, dash)));
    }

    private void handle(Map<String, String> body, DeliveryListener listener) {
        String log = body.get("k");
        if (log != null) {
            Publication publication = PublicationCodec.decode(body.get("p"), Keys.tokenToLog(log),
                    new Position(body.get("e"), Long.parseLong(body.get("o"))));
            order.offer(publication, System.nanoTime(), this::currentEpoch, listener::onPublication);
            return;
        }
        String broadcast = body.get("b");
        if (broadcast != null) {
            listener.onBroadcast(PublicationCodec.decode(broadcast, null, null));
            return;
        }
        String membership = body.get("m");
        if (membership != null) {
            String audience = body.get("h");
            listener.onMembership(body.get("r"), body.get("u"), membership.equals("j"), audience == null ? Audience.EVERYONE
                    : audience.equals("o") ? Audience.OPERATORS : Audience.NON_OPERATORS);
            return;
        }
        control.handle(body, listener);
    }

    /** The log's epoch in Redis; when Redis cannot say, the entry is taken as current rather than lost. */
    private String currentEpoch(LogId log) {
        try {
            return broker.currentEpoch(log).orElse(null);
        } catch (EngineUnavailableException e) {
            return null;
        }
    }

    private void fillExpiredGaps(DeliveryListener listener) {
        for (LogOrder.Gap gap : order.expiredGaps(System.nanoTime())) {
            Optional<List<Publication>> held = broker.rangeInEpoch(gap.log(), gap.epoch(), gap.from(), gap.to());
            // a log reset meanwhile leaves nothing to fill with: what waits is delivered, the new epoch follows
            order.fill(gap.log(), gap.epoch(), held.orElse(List.of()), gap.to(), System.nanoTime(), listener::onPublication);
        }
    }

    /**
     * Reads the tops of the next slice of subscribed logs in one round trip; a log behind both now and at
     * the previous audit is caught up from the log.
     */
    private void audit(DeliveryListener listener) {
        order.forgetUnsubscribed();
        suspects.keySet().removeIf(log -> order.delivered(log) == null);
        List<LogId> slice = nextSlice();
        if (slice.isEmpty()) {
            return;
        }
        Map<LogId, Position> tops = broker.tops(slice);
        for (LogId log : slice) {
            Position top = tops.get(log);
            Position earlier = suspects.remove(log);
            if (!order.behind(log, top)) {
                continue;
            }
            if (earlier != null && earlier.epoch().equals(top.epoch()) && order.behind(log, earlier)) {
                catchUp(log, earlier, listener);
            } else {
                suspects.put(log, top);
            }
        }
    }

    private void catchUp(LogId log, Position top, DeliveryListener listener) {
        Position last = order.delivered(log);
        long from = last.epoch().equals(top.epoch()) ? last.offset() + 1 : 1;
        Optional<List<Publication>> held = broker.rangeInEpoch(log, top.epoch(), from, top.offset());
        if (held.isPresent()) {
            LOG.log(Level.INFO, "log {0} was behind at offsets {1}-{2}; caught up from the log",
                    Keys.logToken(log), from, top.offset());
            order.fill(log, top.epoch(), held.get(), top.offset(), System.nanoTime(), listener::onPublication);
        }
    }

    /** The next slice of subscribed logs, going round them all. */
    private List<LogId> nextSlice() {
        if (auditCursor == null || !auditCursor.hasNext()) {
            auditCursor = List.copyOf(broker.delivered().keySet()).iterator();
        }
        List<LogId> slice = new ArrayList<>();
        while (auditCursor.hasNext() && slice.size() < AUDIT_SLICE) {
            slice.add(auditCursor.next());
        }
        return slice;
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
                thread.join(Duration.ofMillis(MAX_BLOCK_MILLIS * 3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
