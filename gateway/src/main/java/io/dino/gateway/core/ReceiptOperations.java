package io.dino.gateway.core;

import io.dino.gateway.config.GatewayConfig;
import io.dino.gateway.engine.Broker;
import io.dino.gateway.engine.Control;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.PresenceStore;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.engine.Receipts;
import io.dino.gateway.engine.Receipts.Kind;
import io.dino.gateway.engine.Receipts.Marker;
import io.dino.gateway.ops.GatewayMetrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import static io.dino.gateway.core.EngineCalls.call;

/**
 * Delivered and read receipts as positions (docs/protocol.md, Receipts): a user acknowledges a room's log or their
 * own inbox up to an offset, which costs one stored marker per user and log and nothing on the send path. A
 * receipt that moves the marker is told on: an inbox receipt to the senders of the newly acknowledged messages
 * (one range read of the reader's inbox per receipt), a room receipt to the room's sessions (when
 * {@code dino.receipts.room-relay} is on, the room has at most {@code room-relay-max-members} members and the
 * reader is not invisible). Telling is best effort: the marker is stored first, and a sender that was not told
 * (a node did not answer: counted in {@code dino.receipts.relay.failures} and logged) can ask ({@link #roomStatus}, {@link #privateStatus}). At connect, {@link #unacked}
 * hands a user the private messages after their delivered marker.
 */
public final class ReceiptOperations {

    private static final System.Logger LOG = System.getLogger(ReceiptOperations.class.getName());

    /** Who of a room has received and read a message: up to {@code query-max-users} users each, and how many in all. */
    public record RoomStatus(String room, long offset, List<String> delivered, int deliveredCount, List<String> read,
                             int readCount) {
    }

    /** Whether the recipient of a private message has received and read it. */
    public record PrivateStatus(String to, long offset, boolean delivered, boolean read) {
    }

    /** The private messages after a user's delivered marker, oldest first; {@code more}: the inbox holds more after them. */
    public record Unacked(List<Publication> messages, boolean more, Position top) {
    }

    private final Broker broker;
    private final Receipts receipts;
    private final PresenceStore presence;
    private final RoomPolicy policy;
    private final HistoryPages pages;
    private final Hub hub;
    private final GatewayConfig.Receipts config;
    private final int pageLimit;
    private final GatewayMetrics metrics;

    ReceiptOperations(Broker broker, Receipts receipts, PresenceStore presence, RoomPolicy policy, HistoryPages pages,
                      Hub hub, GatewayConfig config, GatewayMetrics metrics) {
        this.broker = broker;
        this.receipts = receipts;
        this.presence = presence;
        this.policy = policy;
        this.pages = pages;
        this.hub = hub;
        this.config = config.receipts();
        this.pageLimit = config.history().maxLimit();
        this.metrics = metrics;
    }

    /** {@code delivered} or {@code read}; anything else is INVALID_VALUE. */
    public static Kind kind(String wire) {
        return switch (wire) {
            case "delivered" -> Kind.DELIVERED;
            case "read" -> Kind.READ;
            default -> throw new DinoException(ErrorCode.INVALID_VALUE, "kind must be delivered or read");
        };
    }

    /**
     * The session's user received or read a room ({@code room} present: the session must be in it) or their inbox up
     * to {@code offset} of the log's current epoch. A receipt for another epoch ({@code epoch} given and not the
     * log's) is of a log that is gone: ignored. A lower offset than stored changes nothing. Answers the stored marker.
     */
    public Marker receipt(Session session, Optional<String> room, Kind kind, long offset, Optional<String> epoch) {
        LogId log;
        if (room.isPresent()) {
            String id = Names.room(room.get());
            if (!session.isIn(id)) {
                call(() -> {
                    policy.requireExists(id);
                    return null;
                });
                throw new DinoException(ErrorCode.NOT_IN_ROOM, "join room '" + id + "' before acknowledging it");
            }
            log = LogId.room(id);
        } else {
            log = LogId.user(session.user());
        }
        if (offset < 0) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "offset must be 0 or more");
        }
        Position top = call(() -> broker.top(log));
        if (offset > top.offset()) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "offset " + offset + " is beyond the log's last message (" + top.offset() + ")");
        }
        if (offset == 0 || epoch.isPresent() && !epoch.get().equals(top.epoch())) {
            return call(() -> receipts.marker(log, session.user())).in(top.epoch());
        }
        Receipts.Change change = call(() -> receipts.mark(log, session.user(), kind, top.epoch(), offset));
        if (change.advanced(kind)) {
            try {
                if (log.isRoom()) {
                    relayToRoom(log, session.user(), kind, change.after());
                } else {
                    relayToSenders(log, session.user(), kind, change);
                }
            } catch (DinoException e) {
                metrics.receiptRelayFailed();
                LOG.log(System.Logger.Level.WARNING, "receipt of {0} in {1} stored but not told to everyone: {2}",
                        session.user(), log, e.getMessage());
            }
        }
        return change.after();
    }

    private void relayToRoom(LogId log, String user, Kind kind, Marker marker) {
        if (!config.roomRelay() || hub.isInvisible(user)) {
            return;  // an invisible user's receipt would tell the room that they are there
        }
        if (call(() -> presence.members(log.name())).size() > config.roomRelayMaxMembers()) {
            return;
        }
        call(() -> broker.control(log, new Control.Receipt("", log, user, kind.wireName(), marker.epoch(),
                marker.of(kind), List.of())));
    }

    /** One range read of the reader's inbox: the newly acknowledged messages, grouped by sender, each told once. */
    private void relayToSenders(LogId inbox, String reader, Kind kind, Receipts.Change change) {
        Marker after = change.after();
        long from = change.before().in(after.epoch()).of(kind);
        long to = after.of(kind);
        Map<String, List<String>> idsBySender = new LinkedHashMap<>();
        long next = from;
        while (next < to) {
            long since = next;
            List<Publication> page = call(() -> broker.after(inbox, since, pageLimit));
            if (page.isEmpty()) {
                break;
            }
            for (Publication message : page) {
                if (message.position().offset() > to) {
                    break;
                }
                idsBySender.computeIfAbsent(message.sender(), sender -> new ArrayList<>()).add(message.id());
            }
            next = page.getLast().position().offset();
        }
        idsBySender.forEach((sender, ids) -> call(() -> broker.control(LogId.user(sender),
                new Control.Receipt(sender, inbox, reader, kind.wireName(), after.epoch(), to, ids))));
    }

    /** A member asks who of the room has received and read the message at {@code offset}. */
    public RoomStatus roomStatus(Session session, String room, long offset, Optional<String> epoch) {
        Names.room(room);
        if (!session.isIn(room)) {
            call(() -> {
                policy.requireExists(room);
                return null;
            });
            throw new DinoException(ErrorCode.NOT_IN_ROOM, "join room '" + room + "' before asking for its receipts");
        }
        return roomStatus(room, offset, epoch, !session.principal().isOperator());
    }

    /** A backend asks who of the room has received and read the message at {@code offset} (trusted: everyone listed). */
    public RoomStatus roomStatus(String room, long offset, Optional<String> epoch) {
        Names.room(room);
        return roomStatus(room, offset, epoch, false);
    }

    private RoomStatus roomStatus(String room, long offset, Optional<String> epoch, boolean hideInvisible) {
        LogId log = LogId.room(room);
        Position top = call(() -> broker.top(log));
        requireMessage(top, offset, epoch, "room '" + room + "'");
        Map<String, Marker> markers = call(() -> receipts.markers(log));
        Set<String> hidden = hideInvisible ? hiddenMembers(room) : Set.of();
        List<String> delivered = new ArrayList<>();
        List<String> read = new ArrayList<>();
        markers.forEach((user, stored) -> {
            Marker marker = stored.in(top.epoch());
            if (hidden.contains(user)) {
                return;
            }
            if (marker.delivered() >= offset) {
                delivered.add(user);
            }
            if (marker.read() >= offset) {
                read.add(user);
            }
        });
        delivered.sort(null);
        read.sort(null);
        int most = config.queryMaxUsers();
        return new RoomStatus(room, offset, List.copyOf(delivered.subList(0, Math.min(most, delivered.size()))), delivered.size(),
                List.copyOf(read.subList(0, Math.min(most, read.size()))), read.size());
    }

    /** Members of the room who are invisible: their receipts are not shown to others than operators. */
    private Set<String> hiddenMembers(String room) {
        Set<String> hidden = new HashSet<>(call(() -> presence.members(room)));
        hidden.removeAll(call(() -> presence.visibleMembers(room)));
        return hidden;
    }

    /**
     * The sender (or the recipient) of the private message at {@code offset} of {@code to}'s inbox asks whether
     * {@code to} has received and read it. Anyone else, as a message that is not there: NO_SUCH_MESSAGE.
     */
    public PrivateStatus privateStatus(Session session, String to, long offset, Optional<String> epoch) {
        return privateStatus(to, offset, epoch, Optional.of(session.user()));
    }

    /** A backend asks whether {@code to} has received and read the message at {@code offset} of their inbox. */
    public PrivateStatus privateStatus(String to, long offset, Optional<String> epoch) {
        return privateStatus(to, offset, epoch, Optional.empty());
    }

    private PrivateStatus privateStatus(String to, long offset, Optional<String> epoch, Optional<String> asker) {
        Names.user(to);
        LogId inbox = LogId.user(to);
        if (offset < 1) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "offset must be 1 or more");
        }
        Broker.Page page = call(() -> broker.pageAfter(inbox, offset - 1, 1));
        Optional<Publication> message = page.messages().stream()
                .filter(publication -> publication.position().offset() == offset)
                .filter(publication -> epoch.isEmpty() || epoch.get().equals(page.top().epoch()))
                .filter(publication -> asker.isEmpty() || asker.get().equals(to) || asker.get().equals(publication.sender()))
                .findFirst();
        if (message.isEmpty()) {
            throw new DinoException(ErrorCode.NO_SUCH_MESSAGE, "no message of yours at offset " + offset + " of the inbox of '" + to + "'");
        }
        Marker marker = call(() -> receipts.marker(inbox, to)).in(page.top().epoch());
        return new PrivateStatus(to, offset, marker.delivered() >= offset, marker.read() >= offset);
    }

    /**
     * The private messages of {@code user}'s inbox after their delivered marker (all of the current epoch when the
     * marker is of another), oldest first, at most the history max limit and max-reply-bytes of them.
     */
    public Unacked unacked(String user) {
        LogId inbox = LogId.user(user);
        Marker marker = call(() -> receipts.marker(inbox, user));
        HistoryPages.HistoryResult page = pages.page(inbox, pageLimit, OptionalLong.empty(), OptionalLong.of(marker.delivered()));
        if (!marker.epoch().equals(page.position().epoch()) && marker.delivered() > 0) {
            page = pages.page(inbox, pageLimit, OptionalLong.empty(), OptionalLong.of(0));
        }
        List<Publication> messages = page.messages();
        boolean more = !messages.isEmpty() && messages.getLast().position().offset() < page.position().offset();
        return new Unacked(messages, more, page.position());
    }

    /** NO_SUCH_MESSAGE unless {@code offset} names a message of the log's current epoch. */
    private static void requireMessage(Position top, long offset, Optional<String> epoch, String where) {
        if (offset < 1 || offset > top.offset() || epoch.isPresent() && !epoch.get().equals(top.epoch())) {
            throw new DinoException(ErrorCode.NO_SUCH_MESSAGE, "no message at offset " + offset + " of " + where);
        }
    }
}
