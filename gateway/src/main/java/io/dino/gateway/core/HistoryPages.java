package io.dino.gateway.core;

import io.dino.gateway.config.GatewayConfig;
import io.dino.gateway.engine.Broker;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.engine.Recovery;
import io.dino.gateway.engine.Tombstones;
import io.dino.gateway.engine.Tombstones.Deletions;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;

import static io.dino.gateway.core.EngineCalls.call;

/**
 * Pages of a log (a room's or an inbox) and recoveries, cut to what fits in one reply (max-reply-bytes). A room's
 * deleted messages ({@link Tombstones}) are left out of both: the room's deletions are read beside the page (one
 * more read in the room's slot, sent first so it shares the page's round trip); a page that lost messages to them
 * reads on past them until it holds {@code limit} messages or the log has no more.
 */
public final class HistoryPages {

    /**
     * A page of a log (a room's, or the caller's inbox), oldest first, and where the log stands;
     * {@code truncated} when the page holds fewer messages than asked for because of max-reply-bytes.
     */
    public record HistoryResult(LogId log, Position position, List<Publication> messages, boolean truncated) {
    }

    /** How many messages a page reads at least when it reads on past deleted ones. */
    private static final int REFILL_CHUNK = 100;

    private final Broker broker;
    private final Tombstones tombstones;
    private final GatewayConfig.History history;
    private final long maxReplyBytes;

    HistoryPages(Broker broker, Tombstones tombstones, GatewayConfig config) {
        this.broker = broker;
        this.tombstones = tombstones;
        this.history = config.history();
        this.maxReplyBytes = config.limits().maxReplyBytes();
    }

    public int defaultLimit() {
        return history.defaultLimit();
    }

    int recoveryLimit() {
        return history.recoveryLimit();
    }

    /**
     * A page of a log: the latest messages, or those before or after an offset (for paging back and
     * forth); oldest first. The position is the log's latest.
     */
    HistoryResult page(LogId log, int limit, OptionalLong before, OptionalLong after) {
        if (limit < 1 || limit > history.maxLimit()) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "limit must be 1-" + history.maxLimit());
        }
        if (before.isPresent() && after.isPresent()) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "give before or after, not both");
        }
        Supplier<Deletions> deletions = deletionsOf(log);
        Broker.Page page = call(() -> after.isPresent()
                ? broker.pageAfter(log, after.getAsLong(), limit)
                : broker.pageBefore(log, before.orElse(Long.MAX_VALUE), limit));
        List<Publication> messages = visible(log, page, call(deletions::get), limit, after.isPresent());
        // paging back keeps the newest messages of the page, paging forward the oldest: either way the
        // client's next page (before the first, after the last) continues without a gap
        int kept = after.isPresent() ? fittingFromStart(messages) : fittingFromEnd(messages);
        List<Publication> fitting = after.isPresent()
                ? messages.subList(0, kept)
                : messages.subList(messages.size() - kept, messages.size());
        return new HistoryResult(log, page.top(), fitting, kept < messages.size());
    }

    /** What was missed in a log since a position, without deleted messages, cut to one reply ({@link #bounded}). */
    Recovery recover(LogId log, Position since) {
        Supplier<Deletions> deletions = deletionsOf(log);
        Recovery recovery = call(() -> broker.recover(log, since, history.recoveryLimit()));
        return bounded(withoutDeleted(recovery, call(deletions::get)));
    }

    /**
     * Sends the read of a room log's deletions (nothing for an inbox: private messages are not deleted), to be
     * awaited after the read it shares a round trip with.
     */
    Supplier<Deletions> deletionsOf(LogId log) {
        return log.isRoom() ? call(() -> tombstones.read(log.name())) : () -> Deletions.NONE;
    }

    /**
     * A recovery without the deleted messages: still {@code recovered} (the client's position moves past them; the
     * recovery limit counted them, so a gap of many deleted messages may answer not recovered, and the client pages).
     */
    static Recovery withoutDeleted(Recovery recovery, Deletions deletions) {
        if (deletions.isEmpty() || !recovery.recovered()) {
            return recovery;
        }
        return new Recovery(true, recovery.missed().stream().filter(p -> !deletions.hides(p)).toList(), recovery.top());
    }

    /**
     * The page's messages without the deleted ones, read on past them (backwards before the oldest read, forwards after
     * the newest) while fewer than {@code limit} are left and the log has more in the same epoch; never past the room's
     * cutoff going back (nothing at or below it is visible). Oldest first, at most {@code limit}: the newest of them
     * going back, the oldest going forward, so the next page continues without a gap.
     */
    private List<Publication> visible(LogId log, Broker.Page page, Deletions deletions, int limit, boolean forward) {
        if (deletions.isEmpty()) {
            return page.messages();
        }
        List<Publication> read = page.messages();
        List<Publication> kept = new ArrayList<>(read.stream().filter(p -> !deletions.hides(p)).toList());
        int chunk = Math.max(limit, REFILL_CHUNK);
        boolean more = read.size() == limit;
        while (kept.size() < limit && more && !read.isEmpty()) {
            long last = forward ? read.getLast().position().offset() : read.getFirst().position().offset();
            Position all = deletions.all();
            boolean cut = all.epoch().equals(page.top().epoch());
            if (!forward && cut && last - 1 <= all.offset()) {
                break;  // nothing at or below the room's cutoff is visible
            }
            long cursor = forward && cut ? Math.max(last, all.offset()) : last;  // forward: skip what the room's cutoff hides
            Broker.Page next = call(() -> forward ? broker.pageAfter(log, cursor, chunk) : broker.pageBefore(log, cursor, chunk));
            if (!next.top().epoch().equals(page.top().epoch())) {
                break;
            }
            read = next.messages();
            more = read.size() == chunk;
            List<Publication> shown = read.stream().filter(p -> !deletions.hides(p)).toList();
            kept.addAll(forward ? kept.size() : 0, shown);
        }
        if (kept.size() > limit) {
            return forward ? kept.subList(0, limit) : kept.subList(kept.size() - limit, kept.size());
        }
        return kept;
    }

    /**
     * A recovery whose messages would make a reply larger than max-reply-bytes answers recovered: false, as a
     * gap beyond the recovery limit does: the client then pages the history, which is cut to size.
     */
    Recovery bounded(Recovery recovery) {
        return fittingFromStart(recovery.missed()) < recovery.missed().size() ? Recovery.notRecovered(recovery.top()) : recovery;
    }

    /** How many of the first messages fit in one reply. */
    private int fittingFromStart(List<Publication> messages) {
        long bytes = 0;
        for (int i = 0; i < messages.size(); i++) {
            bytes += Utf8.length(messages.get(i).bodyJson());
            if (bytes > maxReplyBytes) {
                return i;
            }
        }
        return messages.size();
    }

    /** How many of the last messages fit in one reply. */
    private int fittingFromEnd(List<Publication> messages) {
        long bytes = 0;
        for (int i = messages.size() - 1; i >= 0; i--) {
            bytes += Utf8.length(messages.get(i).bodyJson());
            if (bytes > maxReplyBytes) {
                return messages.size() - 1 - i;
            }
        }
        return messages.size();
    }
}
