package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.Control;
import io.dino.gateway.engine.DeliveryListener;
import io.dino.gateway.engine.EngineUnavailableException;
import io.dino.gateway.engine.LogId;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The control plane between nodes: a command for the sessions of a user (or a room's members) goes to the
 * inbox of each node subscribed to that user's (or room's) log, the same single-slot path deliveries take,
 * so each node applies it in order with its deliveries. Each node answers with an acknowledgement in the
 * sender's inbox, carrying how many sessions it affected. The sender waits until every node has answered or
 * has been declared dead: a node whose heartbeat is older than the node timeout holds no sessions that count
 * (the cluster removes them). Unknown commands (from a newer node during a rolling upgrade) are acknowledged
 * with a count of 0, so a sender never waits for an answer that cannot come.
 *
 * <p>Inbox entries: a command {@code c} (kind), {@code i} (id), {@code f} (sender node) and its fields
 * ({@code u} user, {@code r} reason or room, {@code e} a room's new name, {@code x} reconnect, {@code w} newest session kept, {@code v} status; a kick: {@code r} room, {@code u} user, {@code y} by, {@code z} reason, {@code o} spare operators;
 * a receipt: {@code d} to, {@code t} log kind ({@code r}/{@code u}), {@code r} log name, {@code u} reader, {@code g} kind, {@code p} epoch,
 * {@code q} offset, {@code j} ids (comma-separated);
 * deletions changed: {@code r} room, {@code y} by, {@code d} ids (comma-separated), {@code u} user, {@code l} all, {@code e}
 * and {@code o} up to which position, {@code x} restored;
 * a ban: {@code r} room, {@code u} user, {@code y} by, {@code z} reason, {@code t} until, {@code g} scope, {@code o} spare
 * operators; a mute: {@code r}, {@code u}, {@code y}, {@code z}, {@code t}, {@code d} muted; an unban: {@code u}, {@code g}, {@code h} target;
 * revoked tokens: {@code u} user, {@code j} token id (empty: by user), {@code q} issued-before in epoch ms;
 * the field names must not be those that mark other entries: {@code k}, {@code b}, {@code m}, {@code a});
 * an acknowledgement {@code a} (id), {@code n} (node), {@code s} (sessions affected).
 */
final class ControlRouter {

    private static final Logger LOG = System.getLogger(ControlRouter.class.getName());
    private static final long LIVENESS_CHECK_MILLIS = 250;
    private static final String DISCONNECT_USER = "disconnect-user";
    private static final String ROOM_ACL_CHANGED = "room-acl-changed";
    /** Prefix of the fields that carry a room's rules in a room-acl-changed entry: {@code a:join} → rule text. */
    private static final String RULE_FIELD = "a:";
    private static final String ROOM_RULES_CHANGED = "room-rules-changed";
    private static final String ROOM_RENAMED = "room-renamed";
    private static final String ROOM_REMOVED = "room-removed";
    private static final String REPLACE_SESSIONS = "replace-sessions";
    private static final String STATUS_CHANGED = "status-changed";
    private static final String USER_KICKED = "user-kicked";
    private static final String OPERATOR_SESSIONS = "operator-sessions";
    private static final String RECEIPT = "receipt";
    private static final String DELETIONS_CHANGED = "deletions-changed";
    private static final String USER_BANNED = "user-banned";
    private static final String USER_BANNED_GLOBALLY = "user-banned-globally";
    private static final String SANCTIONS_CHANGED = "sanctions-changed";
    private static final String USER_MUTED = "user-muted";
    private static final String USER_UNBANNED = "user-unbanned";
    private static final String TOKENS_REVOKED = "tokens-revoked";

    private final String node;
    private final Keys keys;
    private final Connection connection;
    private final RedisSettings settings;
    private final InstantSource clock;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Pending> waiting = new ConcurrentHashMap<>();
    private volatile DeliveryListener listener;

    /** A command sent and not yet answered by every node it went to. */
    private static final class Pending {
        final Set<String> awaited = ConcurrentHashMap.newKeySet();
        final AtomicInteger affected = new AtomicInteger();
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Pending(Set<String> nodes) {
            awaited.addAll(nodes);
        }

        void answered(String node, int sessions) {
            if (awaited.remove(node)) {
                affected.addAndGet(sessions);
                completeIfDone();
            }
        }

        void gone(String node) {
            if (awaited.remove(node)) {
                completeIfDone();
            }
        }

        private void completeIfDone() {
            if (awaited.isEmpty()) {
                done.complete(null);
            }
        }
    }

    ControlRouter(String node, Keys keys, Connection connection, RedisSettings settings,
                  InstantSource clock) {
        this.node = node;
        this.keys = keys;
        this.connection = connection;
        this.settings = settings;
        this.clock = clock;
    }

    void start(DeliveryListener listener) {
        this.listener = listener;
    }

    int dispatch(LogId holders, Control command) {
        Set<String> nodes = new java.util.HashSet<>(RedisBroker.redis(() -> connection.sync().smembers(keys.interest(holders))));
        boolean here = nodes.remove(node);
        if (nodes.isEmpty()) {
            return here ? listener.onControl(command) : 0;
        }
        String id = node + "-" + ids.incrementAndGet();
        Pending pending = new Pending(nodes);
        waiting.put(id, pending);
        try {
            send(nodes, encode(id, command));
            int affected = here ? listener.onControl(command) : 0;
            awaitAnswers(pending);
            return affected + pending.affected.get();
        } finally {
            waiting.remove(id);
        }
    }

    /** On the inbox reader's thread: a command to apply here, or an answer to one sent from here. */
    void handle(Map<String, String> entry, DeliveryListener listener) {
        String answered = entry.get("a");
        if (answered != null) {
            Pending pending = waiting.get(answered);
            if (pending != null) {
                pending.answered(entry.get("n"), Integer.parseInt(entry.get("s")));
            }
            return;
        }
        String kind = entry.get("c");
        if (kind == null) {
            LOG.log(Level.WARNING, "ignoring an inbox entry of unknown shape: {0}", entry.keySet());
            return;
        }
        int affected = 0;
        Control command = decode(kind, entry);
        if (command == null) {
            LOG.log(Level.WARNING, "unknown control command {0} from node {1}; answering that it affected nothing",
                    kind, entry.get("f"));
        } else {
            affected = listener.onControl(command);
        }
        // answered without waiting: the reader must not stall on the sender's inbox
        connection.async().xadd(keys.inbox(entry.get("f")), inboxArgs(), Map.of("a", entry.get("i"), "n", node,
                "s", Integer.toString(affected))).whenComplete((ok, failure) -> {
                    if (failure != null) {
                        LOG.log(Level.WARNING, "could not answer control command {0}: {1}", entry.get("i"), failure.getMessage());
                    }
                });
    }

    private void send(Set<String> nodes, Map<String, String> entry) {
        RedisClusterAsyncCommands<String, String> async = connection.async();
        List<RedisFuture<String>> sent = new ArrayList<>(nodes.size());
        for (String target : nodes) {
            sent.add(async.xadd(keys.inbox(target), inboxArgs(), entry));
        }
        try {
            for (RedisFuture<String> future : sent) {
                future.get(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineUnavailableException("interrupted while sending a control command", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new EngineUnavailableException("sending a control command failed: " + e.getMessage(), e);
        }
    }

    /**
     * Waits for every answer; every {@value #LIVENESS_CHECK_MILLIS} ms, nodes whose heartbeat is older than
     * the node timeout (or that left the registry) stop being waited for. A live node that does not answer
     * within the node timeout plus two heartbeats fails the command.
     */
    private void awaitAnswers(Pending pending) {
        long deadline = System.nanoTime() + settings.nodeTimeout().plus(settings.heartbeatInterval().multipliedBy(2))
                .plus(settings.commandTimeout()).toNanos();
        while (true) {
            try {
                pending.done.get(LIVENESS_CHECK_MILLIS, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                dropDeadNodes(pending);
                if (pending.done.isDone()) {
                    return;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new EngineUnavailableException("nodes " + pending.awaited + " did not apply the command in time");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineUnavailableException("interrupted while waiting for nodes to apply a command", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void dropDeadNodes(Pending pending) {
        List<String> awaited = List.copyOf(pending.awaited);
        if (awaited.isEmpty()) {
            return;
        }
        List<Double> heartbeats = RedisBroker.redis(() -> connection.sync().zmscore(keys.nodes(), awaited.toArray(String[]::new)));
        long oldestAlive = clock.millis() - settings.nodeTimeout().toMillis();
        for (int i = 0; i < awaited.size(); i++) {
            Double heartbeat = heartbeats.get(i);
            if (heartbeat == null || heartbeat < oldestAlive) {
                LOG.log(Level.INFO, "node {0} is dead; not waiting for it to apply a control command", awaited.get(i));
                pending.gone(awaited.get(i));
            }
        }
    }

    private Map<String, String> encode(String id, Control command) {
        Map<String, String> entry = new HashMap<>();
        entry.put("i", id);
        entry.put("f", node);
        switch (command) {
            case Control.DisconnectUser disconnect -> {
                entry.put("c", DISCONNECT_USER);
                entry.put("u", disconnect.user());
                entry.put("r", disconnect.reason());
                entry.put("x", disconnect.reconnect() ? "1" : "0");
            }
            case Control.RoomAclChanged changed -> {
                entry.put("c", ROOM_ACL_CHANGED);
                entry.put("r", changed.room());
                changed.rules().forEach((action, rule) -> entry.put(RULE_FIELD + action, rule));
            }
            case Control.RoomRulesChanged changed -> {
                entry.put("c", ROOM_RULES_CHANGED);
                entry.put("r", changed.room());
            }
            case Control.RoomRenamed renamed -> {
                entry.put("c", ROOM_RENAMED);
                entry.put("r", renamed.room());
                entry.put("e", renamed.name());
            }
            case Control.RoomRemoved removed -> {
                entry.put("c", ROOM_REMOVED);
                entry.put("r", removed.room());
            }
            case Control.ReplaceSessions replace -> {
                entry.put("c", REPLACE_SESSIONS);
                entry.put("u", replace.user());
                entry.put("w", replace.newest());
            }
            case Control.KickUser kick -> {
                entry.put("c", USER_KICKED);
                entry.put("r", kick.room());
                entry.put("u", kick.user());
                entry.put("y", kick.by());
                entry.put("z", kick.reason());
                entry.put("o", kick.spareOperators() ? "1" : "0");
            }
            case Control.OperatorSessions count -> {
                entry.put("c", OPERATOR_SESSIONS);
                entry.put("u", count.user());
            }
            case Control.StatusChanged changed -> {
                entry.put("c", STATUS_CHANGED);
                entry.put("u", changed.user());
                entry.put("v", changed.status());
            }
            case Control.Receipt receipt -> {
                entry.put("c", RECEIPT);
                entry.put("d", receipt.to());
                entry.put("t", receipt.log().isRoom() ? "r" : "u");
                entry.put("r", receipt.log().name());
                entry.put("u", receipt.user());
                entry.put("g", receipt.kind());
                entry.put("p", receipt.epoch());
                entry.put("q", Long.toString(receipt.offset()));
                entry.put("j", String.join(",", receipt.ids()));
            }
            case Control.DeletionsChanged changed -> {
                entry.put("c", DELETIONS_CHANGED);
                entry.put("r", changed.room());
                entry.put("y", changed.by());
                entry.put("d", String.join(",", changed.ids()));
                entry.put("u", changed.user());
                entry.put("l", changed.all() ? "1" : "0");
                entry.put("e", changed.upTo().epoch());
                entry.put("o", Long.toString(changed.upTo().offset()));
                entry.put("x", changed.restored() ? "1" : "0");
            }
            case Control.BanUser ban -> {
                entry.put("c", USER_BANNED);
                entry.put("r", ban.room());
                entry.put("u", ban.user());
                entry.put("y", ban.by());
                entry.put("z", ban.reason());
                entry.put("t", Long.toString(ban.until()));
                entry.put("g", ban.scope());
                entry.put("o", ban.spareOperators() ? "1" : "0");
            }
            case Control.BanUserGlobally ban -> {
                entry.put("c", USER_BANNED_GLOBALLY);
                entry.put("u", ban.user());
                entry.put("z", ban.reason());
                entry.put("t", Long.toString(ban.until()));
            }
            case Control.SanctionsChanged changed -> {
                entry.put("c", SANCTIONS_CHANGED);
                entry.put("r", changed.room());
            }
            case Control.MuteUser mute -> {
                entry.put("c", USER_MUTED);
                entry.put("r", mute.room());
                entry.put("u", mute.user());
                entry.put("y", mute.by());
                entry.put("z", mute.reason());
                entry.put("t", Long.toString(mute.until()));
                entry.put("d", mute.muted() ? "1" : "0");
            }
            case Control.UnbanUser unban -> {
                entry.put("c", USER_UNBANNED);
                entry.put("u", unban.user());
                entry.put("g", unban.scope());
                entry.put("h", unban.target());
            }
            case Control.RevokeTokens revoked -> {
                entry.put("c", TOKENS_REVOKED);
                entry.put("u", revoked.user());
                entry.put("j", revoked.tokenId());
                entry.put("q", Long.toString(revoked.issuedBefore().toEpochMilli()));
            }
        }
        return entry;
    }

    private static Control decode(String kind, Map<String, String> entry) {
        return switch (kind) {
            case DISCONNECT_USER -> new Control.DisconnectUser(entry.get("u"), entry.get("r"), "1".equals(entry.get("x")));
            case ROOM_ACL_CHANGED -> {
                Map<String, String> rules = new HashMap<>();
                entry.forEach((field, value) -> {
                    if (field.startsWith(RULE_FIELD)) {
                        rules.put(field.substring(RULE_FIELD.length()), value);
                    }
                });
                yield new Control.RoomAclChanged(entry.get("r"), rules);
            }
            case ROOM_RULES_CHANGED -> new Control.RoomRulesChanged(entry.get("r"));
            case ROOM_RENAMED -> new Control.RoomRenamed(entry.get("r"), entry.get("e"));
            case ROOM_REMOVED -> new Control.RoomRemoved(entry.get("r"));
            case REPLACE_SESSIONS -> new Control.ReplaceSessions(entry.get("u"), entry.get("w"));
            case STATUS_CHANGED -> new Control.StatusChanged(entry.get("u"), entry.get("v"));
            case OPERATOR_SESSIONS -> new Control.OperatorSessions(entry.get("u"));
            case USER_KICKED -> new Control.KickUser(entry.get("r"), entry.get("u"), entry.get("y"), entry.get("z"),
                    "1".equals(entry.get("o")));
            case RECEIPT -> new Control.Receipt(entry.get("d"),
                    "r".equals(entry.get("t")) ? LogId.room(entry.get("r")) : LogId.user(entry.get("r")), entry.get("u"),
                    entry.get("g"), entry.get("p"), Long.parseLong(entry.get("q")),
                    entry.get("j").isEmpty() ? List.of() : List.of(entry.get("j").split(",")));
            case DELETIONS_CHANGED -> new Control.DeletionsChanged(entry.get("r"), entry.get("y"),
                    entry.get("d").isEmpty() ? java.util.List.of() : java.util.List.of(entry.get("d").split(",")), entry.get("u"),
                    "1".equals(entry.get("l")), new io.dino.gateway.engine.Position(entry.get("e"), Long.parseLong(entry.get("o"))),
                    "1".equals(entry.get("x")));
            case USER_BANNED -> new Control.BanUser(entry.get("r"), entry.get("u"), entry.get("y"), entry.get("z"),
                    Long.parseLong(entry.get("t")), entry.get("g"), "1".equals(entry.get("o")));
            case USER_BANNED_GLOBALLY -> new Control.BanUserGlobally(entry.get("u"), entry.get("z"), Long.parseLong(entry.get("t")));
            case SANCTIONS_CHANGED -> new Control.SanctionsChanged(entry.get("r"));
            case USER_MUTED -> new Control.MuteUser(entry.get("r"), entry.get("u"), entry.get("y"), entry.get("z"),
                    Long.parseLong(entry.get("t")), "1".equals(entry.get("d")));
            case USER_UNBANNED -> new Control.UnbanUser(entry.get("u"), entry.get("g"), entry.get("h"));
            case TOKENS_REVOKED -> new Control.RevokeTokens(entry.get("u"), entry.getOrDefault("j", ""),
                    java.time.Instant.ofEpochMilli(Long.parseLong(entry.getOrDefault("q", "0"))));
            default -> null;
        };
    }

    private XAddArgs inboxArgs() {
        return new XAddArgs().maxlen(settings.inboxMaxLength()).approximateTrimming();
    }
}
