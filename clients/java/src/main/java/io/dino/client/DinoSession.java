package io.dino.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A chat session that outlives connections: what a browser SDK does, for JVM programs, tests and the load
 * generator. It connects to one of several nodes, and when the connection is lost (the node closed it, sent
 * {@code disconnect} with {@code reconnect: true}, or vanished) it reconnects to the next node with backoff,
 * re-joins its rooms and recovers what it missed, so that the application sees every room and inbox message
 * exactly once, in order, or is told that a gap could not be filled.
 *
 * {@snippet :
 * DinoSession session = DinoSession.builder(List.of(node1, node2), () -> fetchToken())
 *         .onMessage(event -> show(event.get("msg")))     // "message" and "private" events
 *         .onRecovery(r -> { if (!r.recovered()) reload(r.log()); })
 *         .build();
 * session.start().get(10, TimeUnit.SECONDS);
 * session.join("lobby").get(5, TimeUnit.SECONDS);
 * session.send("lobby", "hello");
 * }
 *
 * <h2>Positions, repeats and order</h2>
 * For the inbox and every room joined through the session it keeps the position (epoch, offset) of the last
 * message handed to {@code onMessage}. A reconnect sends {@code connect} with {@code inbox: position} and
 * {@code join} with {@code since: position} for each room; the recovered messages are delivered before the
 * live ones that arrived meanwhile (those are held back until the recovery result is in), and a message seen
 * twice (live and recovered, in either order) is delivered once. The first join of a room starts at the
 * room's position at join time: earlier messages are history. If the server cannot replay a gap
 * ({@code recovered: false}), {@code onRecovery} says so and delivery continues after the server's position.
 * The first {@code connect} (no inbox position yet) hands over the private messages the user has not acknowledged
 * ({@code inbox.unacked}): they are delivered to {@code onMessage} as {@code private} events before the live ones;
 * acknowledge them with {@link DinoClient#inboxReceipt} on {@link #connection()} (when the connect result says
 * {@code more}, page the rest with the inbox history).
 * Autojoin rooms the server joins at {@code connect} are followed as rooms joined through the session are.
 * Rooms joined on {@link #connection()} directly are not followed: their messages are dropped.
 *
 * <h2>Commands while reconnecting</h2>
 * Commands fail fast: while the session is not connected (before {@link #start()} succeeded, while
 * reconnecting, after {@link #close()}) they return a future failed with {@link NotConnectedException}, and
 * nothing is sent. Nothing is queued or retried: a {@code send} that failed because the connection dropped
 * may or may not have been stored (the protocol has no idempotency key yet), so retrying is the
 * application's call. A join in flight when the connection drops fails too; the room is then not joined.
 *
 * <h2>Rooms that cannot be re-joined</h2>
 * A reconnect re-joins every followed room, and a refused re-join affects only its room: the session connects,
 * and the inbox and the other rooms go on. When the server answers a re-join with a temporary error (50xx, such
 * as {@code UNAVAILABLE} while the message store is unreachable, or {@code RATE_LIMITED}), the session joins that
 * room again after a backoff delay (for {@code RATE_LIMITED} at least its {@code retryAfterMs}), from the same position, holding the room's live messages until a join succeeds (its
 * recovery then delivers everything in order). Any other error (such as {@code TOO_MANY_ROOMS} from a node that
 * allows fewer rooms, {@code NOT_ALLOWED} from the room's access rules, or {@code INVALID_VALUE}) would come
 * again: the session stops following the room. A {@code removed} event (the server took the session out of
 * the room: reason {@code access changed}, its access rules changed, or {@code room removed}, the room was
 * removed) stops following the room too, and goes to {@code onEvent}. Either
 * way {@code onRejoinFailure} is told. A re-join that gets no answer within the request timeout, or whose
 * connection ends, ends the connection attempt instead, as a timed-out {@code connect} does.
 *
 * <h2>Giving up</h2>
 * The session reconnects until closed, except when the server refuses the token ({@code INVALID_TOKEN}),
 * the protocol ({@code UNSUPPORTED_PROTOCOL}) or the user ({@code BANNED}: a global ban), or sends {@code disconnect} with {@code reconnect: false}
 * (which {@code REPLACED}, the single-session rule, always counts as) (except the auth timeout, {@code NOT_AUTHENTICATED}: the session sends {@code connect} as soon as the socket
 * opens, so that one means a node too busy to read it, and is retried):
 * then it closes itself and {@link #closeFuture()} fails with the reason. {@code TOKEN_EXPIRED} is retried:
 * the token supplier is asked for a token before every connection attempt. {@code TOKEN_REVOKED} (a connect refused
 * with a revoked token, or the {@code disconnect} of a revocation) is not.
 *
 * <h2>Token refresh</h2>
 * When the server sends {@code expiring} (its {@code dino.auth.expiry-warning} before the token expires), the
 * session asks the token supplier for a fresh token, on a thread of its own, and sends {@code refresh} with it, so
 * the connection outlives the token. The event still goes to {@code onEvent}. A refresh that fails (the supplier
 * throws, or the server refuses the token) is logged; the server then closes the connection with
 * {@code TOKEN_EXPIRED} at expiry and the session reconnects with the supplier's next token.
 *
 * <h2>Threads</h2>
 * All methods are thread-safe. The callbacks ({@code onMessage}, {@code onEvent}, {@code onRecovery},
 * {@code onRejoinFailure}) are called one at a time, never concurrently, on a connection's receiving thread
 * (or on the thread that completed a join). Do not block in them: that stalls the session. An exception thrown
 * by a callback is logged and otherwise ignored.
 */
public final class DinoSession implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DinoSession.class.getName());
    /** The protocol's RATE_LIMITED: temporary, retried no sooner than its retryAfterMs. */
    private static final int RATE_LIMITED = 4050;

    /** Counters for tests and load reports; a snapshot. */
    public record Stats(long connectAttempts, long reconnects, long recoveriesOk, long recoveriesFailed,
                        long duplicatesDropped, long gaps) {
    }

    private enum State { NEW, CONNECTING, CONNECTED, CLOSED }

    /** One connection attempt and, once it succeeded, the connection. Stale when the session moved on. */
    private static final class Connection {
        final URI node;
        volatile DinoClient client; // set once the WebSocket is open

        Connection(URI node) {
            this.node = node;
        }

        void close() {
            DinoClient c = client;
            if (c != null) {
                c.close();
            }
        }
    }

    private final List<URI> nodes;
    private final Supplier<String> tokens;
    private final Consumer<JsonNode> onMessage;
    private final Consumer<JsonNode> onEvent;
    private final Consumer<Recovery> onRecovery;
    private final Consumer<RejoinFailure> onRejoinFailure;
    private final Backoff backoff;
    private final HttpClient httpClient;
    private final Duration connectTimeout;
    private final Duration requestTimeout;

    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    // The state below is guarded by lock. The callbacks run with it held too: replies and events of one
    // connection may complete on different threads, and the lock is what keeps deliveries in order.
    private final ReentrantLock lock = new ReentrantLock();
    private final LogSequencer sequencer = new LogSequencer();
    private final Map<String, CompletableFuture<JsonNode>> joining = new HashMap<>(); // first joins in flight
    // Rooms of the current connection whose re-join failed with a temporary error, and how many times in a row:
    // each waits for its retry with the backoff delay of that count.
    private final Map<LogId, Integer> rejoinFailures = new HashMap<>();
    private State state = State.NEW;
    private String user; // the session's user, from the last connect result (guarded by lock); tells its own kicks
    private Connection current; // the connection being set up or in use; null when closed or between attempts
    private int nextNode;
    private int failedAttempts; // since the last established connection; picks the backoff delay
    private boolean everConnected;
    private long connectAttempts;
    private long reconnects;
    private long recoveriesOk;
    private long recoveriesFailed;

    private DinoSession(Builder builder) {
        this.nodes = builder.nodes;
        this.tokens = builder.tokens;
        this.onMessage = builder.onMessage;
        this.onEvent = builder.onEvent;
        this.onRecovery = builder.onRecovery;
        this.onRejoinFailure = builder.onRejoinFailure;
        this.backoff = new Backoff(builder.minDelay, builder.maxDelay, () -> ThreadLocalRandom.current().nextDouble());
        this.httpClient = builder.httpClient;
        this.connectTimeout = builder.connectTimeout;
        this.requestTimeout = builder.requestTimeout;
        this.nextNode = builder.firstNode >= 0 ? builder.firstNode : ThreadLocalRandom.current().nextInt(nodes.size());
    }

    /**
     * Starts configuring a session.
     *
     * @param nodes         WebSocket URLs of the nodes, tried in turn (e.g. {@code ws://10.0.0.1:8080/ws})
     * @param tokenSupplier gives the token for each connection attempt; called on the thread that makes the
     *                      attempt, so it may block briefly (e.g. to fetch a fresh token)
     */
    public static Builder builder(List<URI> nodes, Supplier<String> tokenSupplier) {
        return new Builder(nodes, tokenSupplier);
    }

    // ---- lifecycle -----------------------------------------------------------------------------------------

    /**
     * Connects, trying the nodes in turn with backoff until one accepts. Call once.
     *
     * @return completes when the first connection is established; fails if the session gives up or is closed
     *         first. It does not time out: the session keeps trying (use {@code get} with a timeout).
     */
    public CompletableFuture<Void> start() {
        lock.lock();
        try {
            if (state != State.NEW) {
                throw new IllegalStateException("start() was already called");
            }
            state = State.CONNECTING;
        } finally {
            lock.unlock();
        }
        attempt();
        return started.copy();
    }

    /** Closes the session and its connection; it does not reconnect again. Does nothing if already closed. */
    @Override
    public void close() {
        Connection conn;
        List<CompletableFuture<JsonNode>> joins;
        lock.lock();
        try {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            conn = current;
            current = null;
            joins = takeJoins();
        } finally {
            lock.unlock();
        }
        if (conn != null) {
            conn.close();
        }
        joins.forEach(join -> join.completeExceptionally(NotConnectedException.closed()));
        finish(null);
    }

    /**
     * Completes when the session has ended: normally after {@link #close()}, exceptionally with the reason
     * when it gave up (a {@link DinoException} such as 4011 {@code INVALID_TOKEN}, or the code and reason of a
     * {@code disconnect} event with {@code reconnect: false}).
     */
    public CompletableFuture<Void> closeFuture() {
        return closed.copy();
    }

    /**
     * Whether the session is connected: authenticated, and every room re-joined and recovered except those whose
     * re-join failed (see {@link Builder#onRejoinFailure}).
     */
    public boolean isConnected() {
        lock.lock();
        try {
            return state == State.CONNECTED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The current connection while connected, for commands the session does not wrap ({@code history},
     * {@code members}, {@code ping}) and for its {@link DinoClient#connectResult()} and {@link DinoClient#uri()}.
     * Join and leave rooms through the session, not on this client: the session only follows rooms it joined.
     */
    public Optional<DinoClient> connection() {
        lock.lock();
        try {
            return state == State.CONNECTED ? Optional.of(current.client) : Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The last position handed to {@code onMessage} for each followed log ({@link LogId#INBOX} once connected,
     * and each joined room), in the order the logs were first followed. A snapshot.
     */
    public Map<LogId, Position> positions() {
        lock.lock();
        try {
            return Collections.unmodifiableMap(sequencer.positions());
        } finally {
            lock.unlock();
        }
    }

    public Stats stats() {
        lock.lock();
        try {
            return new Stats(connectAttempts, reconnects, recoveriesOk, recoveriesFailed, sequencer.duplicatesDropped(),
                    sequencer.gaps());
        } finally {
            lock.unlock();
        }
    }

    // ---- commands ------------------------------------------------------------------------------------------

    /**
     * Joins a room and follows it: its messages go to {@code onMessage}, and it is re-joined (with recovery)
     * after every reconnect until {@link #leave}. Joining a room the session is in, or is joining, does not
     * restart it.
     *
     * @return completes with the join result {@code {"room","epoch","offset","members","kind","channel","name"?,"owners","rights"}}
     */
    public CompletableFuture<JsonNode> join(String room) {
        LogId log = LogId.room(room);
        lock.lock();
        try {
            if (state != State.CONNECTED) {
                return CompletableFuture.failedFuture(notConnected());
            }
            CompletableFuture<JsonNode> inFlight = joining.get(room);
            if (inFlight != null) {
                return inFlight.copy();
            }
            DinoClient client = current.client;
            if (sequencer.follows(log)) {
                return client.join(room); // already in the room: the server changes nothing
            }
            Connection conn = current;
            CompletableFuture<JsonNode> done = new CompletableFuture<>();
            joining.put(room, done);
            sequencer.begin(log);
            client.join(room).whenComplete((result, error) -> joined(conn, log, done, result, error));
            return done.copy();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Leaves a room and stops following it. Completes with {@code {"room"}}. A room whose re-join is waiting for
     * its retry is no longer followed from this call on, whatever the server answers (it may answer
     * {@code NOT_IN_ROOM}: the failed re-join had not added the session).
     */
    public CompletableFuture<JsonNode> leave(String room) {
        LogId log = LogId.room(room);
        return withClient(client -> {
            lock.lock();
            try {
                if (rejoinFailures.remove(log) != null) {
                    sequencer.forget(log);
                }
            } finally {
                lock.unlock();
            }
            return client.leave(room).thenApply(result -> {
                lock.lock();
                try {
                    sequencer.forget(log);
                } finally {
                    lock.unlock();
                }
                return result;
            });
        });
    }

    /** Sends a message to a room; see {@link DinoClient#send}. */
    public CompletableFuture<JsonNode> send(String room, Object body) {
        return withClient(client -> client.send(room, body));
    }

    /** Sends a private message to a user; see {@link DinoClient#sendPrivate}. */
    public CompletableFuture<JsonNode> sendPrivate(String user, Object body) {
        return withClient(client -> client.sendPrivate(user, body));
    }

    /** Whispers in a room to some of its members; see {@link DinoClient#whisper}. */
    public CompletableFuture<JsonNode> whisper(String room, java.util.List<String> to, Object body) {
        return withClient(client -> client.whisper(room, to, body));
    }

    /** Sets the user's status; see {@link DinoClient#setStatus}. Not repeated after a reconnect. */
    public CompletableFuture<JsonNode> setStatus(String status) {
        return withClient(client -> client.setStatus(status));
    }

    /** Status and last-online time of users; see {@link DinoClient#presence}. */
    public CompletableFuture<JsonNode> presence(List<String> users) {
        return withClient(client -> client.presence(users));
    }

    private CompletableFuture<JsonNode> withClient(Function<DinoClient, CompletableFuture<JsonNode>> command) {
        DinoClient client;
        lock.lock();
        try {
            if (state != State.CONNECTED) {
                return CompletableFuture.failedFuture(notConnected());
            }
            client = current.client;
        } finally {
            lock.unlock();
        }
        return command.apply(client);
    }

    private NotConnectedException notConnected() {
        return switch (state) {
            case NEW -> new NotConnectedException(NotConnectedException.NOT_STARTED, "call start() first");
            case CLOSED -> NotConnectedException.closed();
            default -> NotConnectedException.reconnecting();
        };
    }

    // ---- connecting ----------------------------------------------------------------------------------------

    /** Makes one connection attempt to the next node: open, connect with inbox recovery, re-join rooms. */
    private void attempt() {
        Connection conn;
        Position inboxSince;
        lock.lock();
        try {
            if (state == State.CLOSED) {
                return;
            }
            conn = new Connection(nodes.get(nextNode));
            nextNode = (nextNode + 1) % nodes.size();
            current = conn;
            connectAttempts++;
            inboxSince = sequencer.position(LogId.INBOX);
            sequencer.begin(LogId.INBOX); // private events may come before the connect reply
        } finally {
            lock.unlock();
        }
        CompletableFuture<Void> setup;
        try {
            String token = tokens.get();
            setup = clientBuilder(conn).open()
                    .thenCompose(client -> opened(conn, client).authenticate(token, inboxSince))
                    .thenCompose(result -> authenticated(conn, result))
                    .thenRun(() -> established(conn));
        } catch (RuntimeException e) { // from the token supplier
            setup = CompletableFuture.failedFuture(e);
        }
        setup.whenComplete((ignored, error) -> {
            if (error != null) {
                Throwable cause = unwrap(error);
                lost(conn, cause, refusesForGood(cause));
            }
        });
    }

    private DinoClient.Builder clientBuilder(Connection conn) {
        DinoClient.Builder builder = DinoClient.builder(conn.node)
                .onEvent(event -> received(conn, event))
                .connectTimeout(connectTimeout)
                .requestTimeout(requestTimeout);
        if (httpClient != null) {
            builder.httpClient(httpClient);
        }
        return builder;
    }

    private DinoClient opened(Connection conn, DinoClient client) {
        boolean stale;
        lock.lock();
        try {
            conn.client = client;
            stale = conn != current;
        } finally {
            lock.unlock();
        }
        if (stale) {
            client.close(); // the session was closed meanwhile; the setup fails and lost() ignores it
        }
        client.closeFuture().thenAccept(status -> lost(conn, new ConnectionClosedException(status, null), false));
        return client;
    }

    /**
     * Delivers the inbox recovery, follows the autojoined rooms, then re-joins every followed room from its
     * position. Completes when every
     * room has had its first answer, whether the room was re-joined or not (see {@link #rejoined}).
     */
    private CompletableFuture<Void> authenticated(Connection conn, JsonNode result) {
        Map<LogId, Position> rooms = new LinkedHashMap<>();
        lock.lock();
        try {
            if (conn != current) {
                return CompletableFuture.completedFuture(null);
            }
            user = result.path("user").asText(null);
            deliver(sequencer.complete(LogId.INBOX, result.path("inbox")));
            // autojoin rooms the server joined this connection to are followed from their position, as joined
            // rooms are; the re-join below recovers what arrived between the autojoin and this result
            for (JsonNode autojoined : result.path("autojoined")) {
                LogId log = LogId.room(autojoined.path("room").asText());
                if (!sequencer.follows(log)) {
                    sequencer.begin(log);
                    sequencer.complete(log, autojoined);
                }
            }
            sequencer.positions().forEach((log, since) -> {
                if (!log.isInbox()) {
                    sequencer.begin(log);
                    rooms.put(log, since);
                }
            });
        } finally {
            lock.unlock();
        }
        List<CompletableFuture<Void>> rejoins = new ArrayList<>();
        rooms.forEach((log, since) -> rejoins.add(rejoin(conn, log, since)));
        return CompletableFuture.allOf(rejoins.toArray(CompletableFuture[]::new));
    }

    /** Sends a re-join; the log must be buffering ({@link LogSequencer#begin}). Completes once it was handled. */
    private CompletableFuture<Void> rejoin(Connection conn, LogId log, Position since) {
        return conn.client.join(log.room(), since).handle((result, error) -> {
            rejoined(conn, log, result, error == null ? null : unwrap(error));
            return null;
        });
    }

    /**
     * A re-join was answered. A result is delivered; an error reply affects only this room: a temporary one
     * (50xx, RATE_LIMITED: after at least its retryAfterMs) schedules another join of the room from the same position,
     * any other one stops following the room.
     * No answer at all (timeout, connection ended) means the connection is broken: the session moves on.
     */
    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private void rejoined(Connection conn, LogId log, JsonNode result, Throwable error) {
        boolean connectionBroken = false;
        lock.lock();
        try {
            if (conn != current || !sequencer.follows(log)) {
                return; // a connection the session has left behind, or the room was left meanwhile
            }
            if (error == null) {
                rejoinFailures.remove(log);
                deliver(sequencer.complete(log, result));
            } else if (error instanceof DinoException refused && !(refused instanceof ConnectionClosedException)) {
                boolean temporary = refused.code() / 100 == 50 || refused.code() == RATE_LIMITED;
                if (temporary) {
                    // the room's buffer stays on: live messages wait for the retry's recovery, which covers them
                    int failures = rejoinFailures.merge(log, 1, Integer::sum);
                    // no sooner than the server said (RATE_LIMITED: a reconnect re-joins many rooms at once)
                    Duration delay = max(backoff.delay(failures - 1), Duration.ofMillis(refused.retryAfterMs().orElse(0)));
                    CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS)
                            .execute(() -> retryRejoin(conn, log));
                } else {
                    rejoinFailures.remove(log);
                    sequencer.forget(log);
                }
                call(onRejoinFailure,
                        new RejoinFailure(log.room(), refused.code(), refused.name(), refused.getMessage(), temporary));
            } else {
                connectionBroken = true;
            }
        } finally {
            lock.unlock();
        }
        if (connectionBroken) {
            lost(conn, error, false);
        }
    }

    /** Joins a room again whose re-join failed with a temporary error, from its last delivered position. */
    private void retryRejoin(Connection conn, LogId log) {
        Position since;
        lock.lock();
        try {
            if (conn != current || !rejoinFailures.containsKey(log)) {
                return; // the connection was replaced, or the room was left
            }
            since = sequencer.position(log);
            sequencer.begin(log);
        } finally {
            lock.unlock();
        }
        rejoin(conn, log, since);
    }

    private void established(Connection conn) {
        lock.lock();
        try {
            if (conn != current) {
                return;
            }
            state = State.CONNECTED;
            failedAttempts = 0;
            if (everConnected) {
                reconnects++;
            }
            everConnected = true;
        } finally {
            lock.unlock();
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "connected to " + conn.node);
        started.complete(null);
    }

    /**
     * A connection ended or its setup failed. Unless the session gives up, schedules the next attempt (to the
     * next node) after the backoff delay. Only the first report per connection counts.
     */
    private void lost(Connection conn, Throwable cause, boolean giveUp) {
        List<CompletableFuture<JsonNode>> joins;
        lock.lock();
        try {
            if (conn != current || state == State.CLOSED) {
                return;
            }
            current = null;
            sequencer.connectionLost();
            rejoinFailures.clear(); // the next connection re-joins every followed room afresh
            joins = takeJoins();
            if (giveUp) {
                state = State.CLOSED;
            } else {
                state = State.CONNECTING;
                Duration delay = backoff.delay(failedAttempts++);
                CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS).execute(this::attempt);
            }
        } finally {
            lock.unlock();
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "connection to " + conn.node + " lost: " + cause);
        conn.close();
        joins.forEach(join -> join.completeExceptionally(giveUp ? NotConnectedException.closed() : NotConnectedException.reconnecting()));
        if (giveUp) {
            finish(cause);
        }
    }

    private void finish(Throwable cause) {
        started.completeExceptionally(cause != null ? cause : NotConnectedException.closed());
        if (cause == null) {
            closed.complete(null);
        } else {
            closed.completeExceptionally(cause);
        }
    }

    /** Errors after which reconnecting cannot help. */
    private static boolean refusesForGood(Throwable cause) {
        return cause instanceof DinoException e && !(e instanceof ConnectionClosedException)
                && (e.code() == 4011 || e.code() == 4007 || e.code() == 4038 || e.code() == 4014); // INVALID_TOKEN, UNSUPPORTED_PROTOCOL, BANNED, TOKEN_REVOKED
    }

    // ---- receiving -----------------------------------------------------------------------------------------

    private void received(Connection conn, JsonNode event) {
        String type = event.path("event").asText("");
        boolean disconnect = type.equals("disconnect");
        lock.lock();
        try {
            if (conn != current) {
                return; // from a connection the session has left behind
            }
            if (type.equals("message") || type.equals("private")) {
                sequencer.live(event).ifPresent(message -> call(onMessage, message));
            } else {
                if (type.equals("expiring")) {
                    refreshToken(conn);
                }
                if (type.equals("removed") || (type.equals("kicked") || type.equals("banned"))
                        && event.path("user").asText("").equals(user)) {
                    // the server took the session out of the room (its access rules changed, it was removed, or
                    // this user was kicked or banned): a re-join would be refused, join another room, or undo the
                    // kick, so the room is no longer followed
                    LogId log = LogId.room(event.path("room").asText());
                    rejoinFailures.remove(log);
                    sequencer.forget(log);
                }
                call(onEvent, event);
            }
        } finally {
            lock.unlock();
        }
        if (disconnect) {
            // a ban's disconnect says until when (BANNED): kept as the error's detail
            java.util.Map<String, Object> details = event.has("until") ? java.util.Map.of("until", event.get("until").asLong())
                    : java.util.Map.of();
            lost(conn, new DinoException(event.path("code").asInt(0), event.path("name").asText("DISCONNECTED"),
                    event.path("reason").asText(""), details, null), !reconnectsAfter(event));
        }
    }

    /** Fetches a fresh token and refreshes the connection with it, off the receiving thread (the supplier may block). */
    private void refreshToken(Connection conn) {
        Thread.ofVirtual().name("dino-refresh").start(() -> {
            try {
                DinoClient client = conn.client;
                if (client != null) {
                    client.refresh(tokens.get()).whenComplete((result, error) -> {
                        if (error != null) {
                            LOG.log(System.Logger.Level.WARNING, "refreshing the token failed: {0}", unwrap(error).getMessage());
                        }
                    });
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "the token supplier failed; the connection ends when the token expires: {0}",
                        e.getMessage());
            }
        });
    }

    /**
     * Whether a {@code disconnect} event leaves the session reconnecting: when the server says so, and after the
     * auth timeout (NOT_AUTHENTICATED), which the session only gets when the node was too slow to read the
     * {@code connect} it sends right after opening — a busy node, not a refusal.
     */
    static boolean reconnectsAfter(JsonNode disconnect) {
        int code = disconnect.path("code").asInt(0);
        if (code == 4091) {
            return false;  // REPLACED: a newer session of the user took over; coming back would push it out in turn
        }
        return disconnect.path("reconnect").asBoolean(false) || code == 4010;
    }

    private void joined(Connection conn, LogId log, CompletableFuture<JsonNode> done, JsonNode result, Throwable error) {
        Throwable failure = null;
        lock.lock();
        try {
            joining.remove(log.room(), done);
            if (conn != current) {
                failure = notConnected(); // lost() has failed it already, unless the reply won the race
            } else if (error != null) {
                sequencer.abort(log);
                failure = unwrap(error);
            } else {
                deliver(sequencer.complete(log, result));
            }
        } finally {
            lock.unlock();
        }
        if (failure != null) {
            done.completeExceptionally(failure);
        } else {
            done.complete(result);
        }
    }

    /** Reports a recovery, then hands over its messages. Called with the lock held. */
    private void deliver(LogSequencer.Completion completion) {
        Recovery recovery = completion.recovery();
        if (recovery != null) {
            if (recovery.recovered()) {
                recoveriesOk++;
            } else {
                recoveriesFailed++;
            }
            call(onRecovery, recovery);
        }
        completion.deliver().forEach(event -> call(onMessage, event));
    }

    private List<CompletableFuture<JsonNode>> takeJoins() {
        List<CompletableFuture<JsonNode>> joins = List.copyOf(joining.values());
        joining.clear();
        return joins;
    }

    private static <T> void call(Consumer<T> callback, T value) {
        try {
            callback.accept(value);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "session callback failed for " + value, e);
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    // ---- builder -------------------------------------------------------------------------------------------

    /** Configures a {@link DinoSession}. */
    public static final class Builder {

        private final List<URI> nodes;
        private final Supplier<String> tokens;
        private Consumer<JsonNode> onMessage = event -> { };
        private Consumer<JsonNode> onEvent = event -> { };
        private Consumer<Recovery> onRecovery = recovery -> { };
        private Consumer<RejoinFailure> onRejoinFailure = failure -> { };
        private Duration minDelay = Duration.ofMillis(250);
        private Duration maxDelay = Duration.ofSeconds(10);
        private HttpClient httpClient;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private int firstNode = -1;

        private Builder(List<URI> nodes, Supplier<String> tokens) {
            this.nodes = List.copyOf(nodes);
            if (this.nodes.isEmpty()) {
                throw new IllegalArgumentException("at least one node is needed");
            }
            this.tokens = Objects.requireNonNull(tokens, "tokenSupplier");
        }

        /**
         * Called for {@code message} (room) and {@code private} (inbox) events: once per (log, epoch, offset),
         * in offset order per log, whether the message arrived live or was recovered after a reconnect
         * (recovered messages are wrapped as the event they would have arrived as).
         */
        public Builder onMessage(Consumer<JsonNode> onMessage) {
            this.onMessage = Objects.requireNonNull(onMessage, "onMessage");
            return this;
        }

        /**
         * Called for every other event of the current connection ({@code joined}, {@code left},
         * {@code removed} — the room is then no longer followed —, {@code renamed} — a room's new name —, {@code broadcast}, {@code disconnect}, {@code deleted} and
         * {@code restored} — messages of a room were deleted or restored: hide or show them; a recovery after a
         * reconnect already leaves deleted messages out). After a reconnect, re-joining a room may bring a {@code joined}
         * event again.
         */
        public Builder onEvent(Consumer<JsonNode> onEvent) {
            this.onEvent = Objects.requireNonNull(onEvent, "onEvent");
            return this;
        }

        /**
         * Called after each reconnect, once for the inbox and once per re-joined room, before that log's
         * recovered and new messages are delivered.
         */
        public Builder onRecovery(Consumer<Recovery> onRecovery) {
            this.onRecovery = Objects.requireNonNull(onRecovery, "onRecovery");
            return this;
        }

        /**
         * Called when a reconnect could not re-join a room: once when the server refused it for good (the session
         * no longer follows the room), and after each failed try while it answers with a temporary error (the
         * session tries again after the reconnect delay). See {@link RejoinFailure}.
         */
        public Builder onRejoinFailure(Consumer<RejoinFailure> onRejoinFailure) {
            this.onRejoinFailure = Objects.requireNonNull(onRejoinFailure, "onRejoinFailure");
            return this;
        }

        /**
         * Delay before each reconnect attempt, and before each retry of a room's re-join: random between
         * {@code min} and a ceiling that starts at {@code 2 min} and doubles per failed attempt (of the connection,
         * or of that room) up to {@code max}. Default 250 ms to 10 s. The first connection
         * ({@link DinoSession#start()}) is tried at once.
         */
        public Builder reconnectDelay(Duration min, Duration max) {
            new Backoff(min, max, () -> 0); // validates
            this.minDelay = min;
            this.maxDelay = max;
            return this;
        }

        /** The HttpClient for all connections; see {@link DinoClient.Builder#httpClient}. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /** Limit for each TCP connect and WebSocket handshake. Default 10 seconds. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * How long a command (including the connect and the re-joins of a reconnect) waits for its reply.
         * Default 30 seconds; a reconnect whose connect or re-join times out moves on to the next node.
         */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
            return this;
        }

        /** Which node to try first (an index into the node list). Default: a random one. */
        public Builder firstNode(int index) {
            Objects.checkIndex(index, nodes.size());
            this.firstNode = index;
            return this;
        }

        /** Creates the session; {@link DinoSession#start()} connects it. */
        public DinoSession build() {
            return new DinoSession(this);
        }
    }
}
