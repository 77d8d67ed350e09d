package io.dino.gateway.core;

import io.dino.gateway.config.GatewayConfig;
import io.dino.gateway.engine.Broker;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.engine.Recovery;

import java.util.List;
import java.util.OptionalLong;

import static io.dino.gateway.core.EngineCalls.call;

/** Pages of a log (a room's or an inbox) and recoveries, cut to what fits in one reply (max-reply-bytes). */
public final class HistoryPages {

    /**
     * A page of a log (a room's, or the caller's inbox), oldest first, and where the log stands;
     * {@code truncated} when the page holds fewer messages than asked for because of max-reply-bytes.
     */
    public record HistoryResult(LogId log, Position position, List<Publication> messages, boolean truncated) {
    }

    private final Broker broker;
    private final GatewayConfig.History history;
    private final long maxReplyBytes;

    HistoryPages(Broker broker, GatewayConfig config) {
        this.broker = broker;
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
        Broker.Page page = call(() -> after.isPresent()
                ? broker.pageAfter(log, after.getAsLong(), limit)
                : broker.pageBefore(log, before.orElse(Long.MAX_VALUE), limit));
        List<Publication> messages = page.messages();
        // paging back keeps the newest messages of the page, paging forward the oldest: either way the
        // client's next page (before the first, after the last) continues without a gap
        int kept = after.isPresent() ? fittingFromStart(messages) : fittingFromEnd(messages);
        List<Publication> fitting = after.isPresent()
                ? messages.subList(0, kept)
                : messages.subList(messages.size() - kept, messages.size());
        return new HistoryResult(log, page.top(), fitting, kept < messages.size());
    }

    /** What was missed in a log since a position, cut to one reply ({@link #bounded}). */
    Recovery recover(LogId log, Position since) {
        return bounded(call(() -> broker.recover(log, since, history.recoveryLimit())));
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
