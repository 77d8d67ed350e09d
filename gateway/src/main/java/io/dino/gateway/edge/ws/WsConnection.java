package io.dino.gateway.edge.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.dino.gateway.auth.Principal;
import io.dino.gateway.auth.TokenRejectedException;
import io.dino.gateway.core.DinoException;
import io.dino.gateway.core.ErrorCode;
import io.dino.gateway.core.Event;
import io.dino.gateway.core.Outbound;
import io.dino.gateway.core.SessionOperations;
import io.dino.gateway.core.Session;
import io.dino.gateway.core.Utf8;
import io.dino.gateway.edge.json.JsonBodies;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dino.gateway.engine.Position;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * One WebSocket connection: reads command frames, answers them, and is the session's
 * {@link Outbound}. Helidon calls the listener methods from the connection's own (virtual) thread,
 * one at a time; each command runs on a virtual thread of its own that the reader waits for (start and join
 * order it with the reader). Fields written there are read by other threads only through volatile fields.
 */
final class WsConnection implements WsListener, Outbound {

    private static final Logger LOG = System.getLogger(WsConnection.class.getName());
    private static final HeaderName X_FORWARDED_FOR = HeaderNames.create("X-Forwarded-For");
    private static final HeaderName X_REAL_IP = HeaderNames.create("X-Real-IP");
    static final int PROTOCOL_VERSION = 1;
    private static final Duration SLOW_CONSUMER_GRACE = Duration.ofSeconds(1);
    /** Runs each command off the reader's stack (see {@link #handleOffTheReader}); thread-safe, unlike a builder. */
    private static final ThreadFactory COMMAND_THREADS = Thread.ofVirtual().name("dino-command").factory();

    private final WsContext context;
    // command threads only (one at a time), except close
    private final FrameRates rates;
    // written by the command thread of a refused frame, read by the reader after joining it
    private long pauseReadingNanos;
    // reader thread only
    private StringBuilder partialFrame;  // created for the first fragmented message: most connections never need it
    private int partialFrameBytes;
    private boolean discardingOversizedFrame;
    // written by the reader thread, read by writers, the auth timer and the drain
    private volatile WsSession socket;
    private volatile OutboundQueue queue;
    private volatile Session session;
    private volatile ScheduledFuture<?> authTimeout;
    // A connect being verified is not cut off by the auth timeout: the client sent it in time, and a slow node
    // must not turn its own delay into a disconnect that tells the client not to come back.
    private volatile boolean connectInProgress;
    private volatile boolean authDeadlinePassed;
    // timer thread writes, reader thread clears: System.nanoTime() of the oldest unanswered ping, 0 when none is
    private volatile long unansweredPingSince;
    // the upgrade request's forwarding headers, kept only when proxies are trusted (null otherwise: most nodes)
    private volatile String forwardedFor;
    private volatile String realIp;
    /** How the connection ends, for the disconnected domain event: the first cause known wins. */
    private volatile SessionOperations.CloseCause closeCause;

    WsConnection(WsContext context) {
        this.context = context;
        this.rates = new FrameRates(context.rateLimits().newSession());
    }

    @Override
    public void onOpen(WsSession socket) {
        this.socket = socket;
        // a frame refused below Helidon closes the socket without onClose
        ClientFramesUpgradeProvider.framesOf(socket).ifPresent(frames -> frames.whenRefused(this::cleanUp));
        // and so does the end of the socket in every other way but a close frame
        ClientFramesUpgradeProvider.whenEnded(socket, this::cleanUp);
        SerialWriter wire = ClientFramesUpgradeProvider.writerOf(socket).orElseThrow(
                () -> new IllegalStateException("the socket was not upgraded by ClientFramesUpgradeProvider"));
        queue = new OutboundQueue(socket, wire, context.writeScheduler(), context.limits().outboundQueueFrames(),
                context.limits().outboundQueueBytes(), this::terminate);
        context.metrics().connectionOpened();
        context.connections().add(this);
        if (context.draining().get()) {
            shutDown();
            return;
        }
        authTimeout = context.timers().schedule(this::authTimedOut, context.limits().authTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        if (!context.trustedProxies().entries().isEmpty()) {
            forwardedFor = String.join(",", headers.all(X_FORWARDED_FOR, List::of));
            realIp = headers.first(X_REAL_IP).orElse("");
        }
        return Optional.empty();
    }

    /** The client's address: the TCP peer's, or what a trusted proxy in front says it is (dino.trusted-proxies). */
    @Override
    public String peer() {
        WsSession open = socket;
        if (open == null) {
            return "";
        }
        try {
            java.net.SocketAddress address = open.socketContext().remotePeer().address();
            if (!(address instanceof java.net.InetSocketAddress inet)) {
                return String.valueOf(address);
            }
            String forwarded = forwardedFor;
            return context.trustedProxies().clientOf(inet.getAddress(), inet.getPort(),
                    forwarded == null ? "" : forwarded, forwarded == null ? "" : realIp);
        } catch (RuntimeException e) {
            return "";  // the socket is gone
        }
    }

    @Override
    public void onMessage(WsSession socket, String text, boolean last) {
        int maxBytes = context.limits().maxFrameBytes();
        // chars never outnumber UTF-8 bytes, so the exact count is only needed near the limit
        int textBytes = text.length() > maxBytes ? maxBytes + 1 : Utf8.length(text);
        if (discardingOversizedFrame || partialFrameBytes + textBytes > maxBytes) {
            discardingOversizedFrame = !last;
            partialFrame = null;
            partialFrameBytes = 0;
            if (last) {
                fail(NullNode.getInstance(), ErrorCode.FRAME_TOO_LARGE, "frames may be at most " + maxBytes + " bytes");
            }
            return;
        }
        if (!last) {
            if (partialFrame == null) {
                partialFrame = new StringBuilder();
            }
            partialFrame.append(text);
            partialFrameBytes += textBytes;
            return;
        }
        String frame = partialFrame == null ? text : partialFrame.append(text).toString();
        partialFrame = null;
        partialFrameBytes = 0;
        handleOffTheReader(frame);
    }

    /**
     * Runs the command on a virtual thread of its own and waits for it, uninterruptibly, so commands stay one at a
     * time and in order. A virtual thread keeps the stack memory of its deepest park for as long as it lives, and
     * the reader lives as long as the connection: when it ran commands itself it parked deep inside connect and
     * join waiting for Redis, and idled on a stack that deep (9 KiB per connection on the redis engine, against
     * 4 KiB on the memory engine). Now it parks only reading the socket or here; the deep stack ends with the
     * command's thread.
     */
    private void handleOffTheReader(String frame) {
        Thread command = COMMAND_THREADS.newThread(() -> handle(frame));
        command.start();
        boolean interrupted = false;
        while (true) {
            try {
                command.join();
                break;
            } catch (InterruptedException e) {
                // the connection is closing: the command finishes first, then the read loop sees the interrupt
                interrupted = true;
            }
        }
        if (!interrupted && pauseReadingNanos > 0) {
            interrupted = pauseReading();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * After a frame refused by a rate limit the reader waits, before it reads the next frame, until the budget has
     * a token again (at most {@link FrameRates#MAX_READ_PAUSE}): a client that keeps writing meets TCP back-pressure
     * instead of costing the node a parse and an error reply for every frame it manages to send. Closing the
     * connection interrupts the wait.
     */
    private boolean pauseReading() {
        long pause = pauseReadingNanos;
        pauseReadingNanos = 0;
        try {
            Thread.sleep(Duration.ofNanos(pause));
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }

    @Override
    public void onPing(WsSession socket, BufferData payload) {
        byte[] copy = new byte[payload.available()];
        payload.read(copy);
        queue.pong(copy);
    }

    @Override
    public void onPong(WsSession socket, BufferData payload) {
        unansweredPingSince = 0;
    }

    @Override
    public void onClose(WsSession socket, int status, String reason) {
        closedBecause(new SessionOperations.CloseCause(status, "", reason == null ? "" : reason));
        cleanUp();
    }

    @Override
    public void onError(WsSession socket, Throwable error) {
        LOG.log(Level.DEBUG, "WebSocket error", error);
        cleanUp();
    }

    // ---- Outbound

    @Override
    public void send(String frame) {
        OutboundQueue current = queue;
        if (!current.offer(frame) && !current.isClosed()) {
            context.metrics().error(ErrorCode.SLOW_CONSUMER);
            Event.Disconnect slow = new Event.Disconnect(ErrorCode.SLOW_CONSUMER,
                    "more than " + context.limits().outboundQueueFrames() + " frames or "
                            + context.limits().outboundQueueBytes() + " bytes waiting; read faster", true);
            closedBecause(new SessionOperations.CloseCause(ErrorCode.SLOW_CONSUMER.code(), ErrorCode.SLOW_CONSUMER.name(),
                    slow.reason()));
            current.closeAfter(context.frames().encode(slow), ErrorCode.SLOW_CONSUMER.code(), "slow consumer", true);
            // a client that does not read may never take the close frame either: cut it off after a grace period
            context.timers().schedule(this::terminate, SLOW_CONSUMER_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void disconnect(Event.Disconnect disconnect, String encodedEvent) {
        closedBecause(new SessionOperations.CloseCause(closeCode(disconnect.code()), disconnect.code().name(),
                disconnect.reason()));
        queue.closeAfter(encodedEvent, closeCode(disconnect.code()), truncate(disconnect.reason()), false);
    }

    /** Pings the socket, or drops it when a ping went unanswered for longer than the ping timeout. */
    void ping() {
        OutboundQueue current = queue;
        if (current == null) {
            return;
        }
        long now = System.nanoTime();
        long since = unansweredPingSince;
        if (since == 0) {
            unansweredPingSince = now;
        } else if (now - since >= context.limits().pingTimeout().toNanos()) {
            // a peer that vanished without a FIN or RST (cable cut, suspended laptop) only shows as silence
            closedBecause(new SessionOperations.CloseCause(1006, "", "ping timeout"));
            terminate();
            return;
        }
        current.ping();
    }

    /** Closes the connection with the shutdown notice (used by the drain, also before authentication). */
    void shutDown() {
        Event.Disconnect notice = new Event.Disconnect(ErrorCode.SHUTTING_DOWN, "the node is shutting down; reconnect", true);
        disconnect(notice, context.frames().encode(notice));
    }

    // ---- commands

    private void handle(String text) {
        JsonNode frame;
        try {
            frame = context.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            if (refusedByRate(null)) {
                return;
            }
            context.metrics().commandReceived("invalid");
            fail(NullNode.getInstance(), ErrorCode.MALFORMED_FRAME, JsonBodies.problem("the frame", e));
            return;
        }
        if (refusedByRate(frame)) {
            return;
        }
        if (frame == null || !frame.isObject()) {
            context.metrics().commandReceived("invalid");
            fail(NullNode.getInstance(), ErrorCode.MALFORMED_FRAME, "the frame must be a JSON object");
            return;
        }
        JsonNode id = frame.get("id");
        if (id == null || !(id.isIntegralNumber() || (id.isTextual() && id.asText().length() <= 64))) {
            context.metrics().commandReceived("invalid");
            fail(NullNode.getInstance(), id == null ? ErrorCode.MISSING_FIELD : ErrorCode.INVALID_VALUE,
                    "'id' must be present: a whole number or a string of at most 64 characters");
            return;
        }
        JsonNode command = frame.get("cmd");
        if (command == null || !command.isTextual()) {
            context.metrics().commandReceived("invalid");
            fail(id, command == null ? ErrorCode.MISSING_FIELD : ErrorCode.INVALID_VALUE, "'cmd' must be a string");
            return;
        }
        String name = command.asText();
        context.metrics().commandReceived(Commands.isKnown(name) ? name : "unknown");
        Session current = session;
        try {
            if (current == null) {
                authenticate(id, name, frame);
            } else {
                reply(context.frames().result(id, context.commands().execute(current, name, frame)));
            }
        } catch (DinoException e) {
            fail(id, e);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "command '" + name + "' failed", e);
            fail(id, ErrorCode.INTERNAL, "internal error");
        }
    }

    /** Answers a frame over the rate limits with RATE_LIMITED, and closes a session that keeps sending them. */
    private boolean refusedByRate(JsonNode frame) {
        DinoException refusal = rates.refusal(frame);
        if (refusal == null) {
            return false;
        }
        JsonNode id = frame == null ? null : frame.get("id");
        boolean validId = id != null && (id.isIntegralNumber() || (id.isTextual() && id.asText().length() <= 64));
        fail(validId ? id : NullNode.getInstance(), refusal);
        pauseReadingNanos = rates.readPauseNanos();
        if (rates.flooding()) {
            Event.Disconnect flood = rates.floodNotice();
            context.metrics().error(flood.code());
            disconnect(flood, context.frames().encode(flood));
        }
        return true;
    }

    private void authenticate(JsonNode id, String command, JsonNode frame) {
        if (!command.equals("connect")) {
            throw new DinoException(ErrorCode.NOT_AUTHENTICATED, "send connect with a token first");
        }
        connectInProgress = true;
        try {
            connect(id, frame);
        } finally {
            connectInProgress = false;
            if (authDeadlinePassed) {
                authTimedOut(); // the deadline passed while this connect ran, and it did not authenticate
            }
        }
    }

    private void connect(JsonNode id, JsonNode frame) {
        int protocol = Fields.optionalInt(frame, "protocol", PROTOCOL_VERSION);
        if (protocol != PROTOCOL_VERSION) {
            refuse(id, ErrorCode.UNSUPPORTED_PROTOCOL, "this server speaks protocol " + PROTOCOL_VERSION);
            return;
        }
        String token = Fields.text(frame, "token");
        Principal principal;
        try {
            principal = context.tokens().verify(token);
        } catch (TokenRejectedException e) {
            refuse(id, e.reason() == TokenRejectedException.Reason.EXPIRED ? ErrorCode.TOKEN_EXPIRED : ErrorCode.INVALID_TOKEN,
                    e.getMessage());
            return;
        }
        if (queue.isClosed()) {
            return;
        }
        Optional<Position> inboxSince = Fields.optionalPosition(frame, "inbox");
        SessionOperations.Opened opened;
        try {
            opened = context.operations().sessions().open(principal, this, inboxSince);
        } catch (DinoException e) {
            if (e.code() != ErrorCode.BANNED && e.code() != ErrorCode.TOKEN_REVOKED) {
                throw e;
            }
            // a globally banned user, or a revoked token, is refused as an invalid token is: the error, then the socket
            // closes (4038, 4014)
            refuse(id, e);
            return;
        }
        session = opened.session();  // before cancelling, so a timer firing now sees an authenticated session
        rates.authenticated(principal.user());
        if (!context.connections().contains(this)) {
            // the socket ended while the session was being opened: the clean-up saw no session, so close it here
            context.operations().sessions().close(opened.session());
            rates.close();
            return;
        }
        cancelAuthTimeout();
        ObjectNode result = context.frames().object()
                .put("user", opened.session().user())
                .put("session", opened.session().id())
                .put("node", opened.session().ref().node())
                .put("protocol", PROTOCOL_VERSION)
                .put("expiresAt", principal.expiresAt().toEpochMilli());
        ObjectNode inbox = result.putObject("inbox")
                .put("epoch", opened.inbox().epoch())
                .put("offset", opened.inbox().offset());
        opened.recovery().ifPresent(recovery -> context.commands().recovered(inbox, recovery));
        opened.unacked().ifPresent(unacked -> context.commands().unacked(inbox, unacked));
        if (!opened.autojoined().isEmpty()) {  // absent when none: connect results stay as they were without autojoin rooms
            ArrayNode autojoined = result.putArray("autojoined");
            opened.autojoined().forEach(joined -> autojoined.addObject()
                    .put("room", joined.room())
                    .put("epoch", joined.position().epoch())
                    .put("offset", joined.position().offset()));
        }
        reply(context.frames().result(id, result));
        // after the reply: a token with less than the warning left gets its expiring event at once, behind it
        context.operations().tokens().watch(opened.session());
    }

    /** Answers with the error, then closes: the connection cannot become a session. */
    private void refuse(JsonNode id, ErrorCode code, String message) {
        context.metrics().error(code);
        context.metrics().framesSent("error", 1);
        queue.closeAfter(context.frames().error(id, code, message), code.code(), truncate(message), false);
    }

    /** {@link #refuse(JsonNode, ErrorCode, String)} with the error's details (a ban's {@code until}, {@code reason}). */
    private void refuse(JsonNode id, DinoException error) {
        context.metrics().error(error.code());
        context.metrics().framesSent("error", 1);
        queue.closeAfter(context.frames().error(id, error.code(), error.getMessage(), error.details()), error.code().code(),
                truncate(error.getMessage()), false);
    }

    private void fail(JsonNode id, ErrorCode code, String message) {
        context.metrics().error(code);
        context.metrics().framesSent("error", 1);
        send(context.frames().error(id, code, message));
    }

    private void fail(JsonNode id, DinoException error) {
        context.metrics().error(error.code());
        context.metrics().framesSent("error", 1);
        send(context.frames().error(id, error.code(), error.getMessage(), error.details()));
    }

    private void reply(String frame) {
        context.metrics().framesSent("reply", 1);
        send(frame);
    }

    private void authTimedOut() {
        authDeadlinePassed = true;
        if (session == null && !connectInProgress) {
            context.metrics().error(ErrorCode.NOT_AUTHENTICATED);
            Event.Disconnect timeout = new Event.Disconnect(ErrorCode.NOT_AUTHENTICATED,
                    "no connect within " + context.limits().authTimeout().toSeconds() + "s", false);
            disconnect(timeout, context.frames().encode(timeout));
        }
    }

    private void cancelAuthTimeout() {
        ScheduledFuture<?> timeout = authTimeout;
        if (timeout != null) {
            timeout.cancel(false);
            authTimeout = null;  // the cancelled task would otherwise stay reachable for the connection's life
        }
    }

    /**
     * Drops the connection without a close handshake: WsSession.terminate() would send a close frame of its own
     * (1000, taking the place of any close already queued) and ends nothing when called off the reader thread.
     * Closing the server connection interrupts the reader, which closes the socket. Runs off the timer thread:
     * closing the session may wait for a command of it that is still running.
     */
    private void terminate() {
        if (context.connections().contains(this)) {
            context.writers().execute(() -> {
                cleanUp();
                ((ServerConnection) socket).close(true);
            });
        }
    }

    private void cleanUp() {
        if (!context.connections().remove(this)) {
            return;
        }
        cancelAuthTimeout();
        rates.close();
        context.metrics().connectionClosed();
        Session closed = session;
        if (closed != null) {
            SessionOperations.CloseCause cause = closeCause;
            context.operations().sessions().close(closed, cause == null ? SessionOperations.CloseCause.UNKNOWN : cause);
        }
    }

    private void closedBecause(SessionOperations.CloseCause cause) {
        if (closeCause == null) {
            closeCause = cause;
        }
    }

    private static int closeCode(ErrorCode code) {
        return switch (code) {
            case SHUTTING_DOWN -> WsCloseCodes.SERVICE_RESTART;
            case UNAVAILABLE -> WsCloseCodes.TRY_AGAIN_LATER;
            case INTERNAL -> WsCloseCodes.UNEXPECTED_CONDITION;
            default -> code.code();
        };
    }

    /** WebSocket close reasons are limited to 123 bytes. */
    private static String truncate(String reason) {
        return reason.length() <= 60 ? reason : reason.substring(0, 60);
    }
}
