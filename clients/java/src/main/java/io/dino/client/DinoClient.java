package io.dino.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A connection to a Dino node speaking the browser protocol v1 (JSON text frames over WebSocket).
 *
 * <p>Typical use:
 * {@snippet :
 * EventRecorder events = new EventRecorder();
 * DinoClient client = DinoClient.builder(URI.create("ws://127.0.0.1:8080/ws"))
 *         .onEvent(events)
 *         .connect(token)
 *         .get(5, TimeUnit.SECONDS);
 * client.join("lobby").get(5, TimeUnit.SECONDS);
 * client.send("lobby", "hello").get(5, TimeUnit.SECONDS);
 * JsonNode message = events.await("message", Duration.ofSeconds(5));
 * client.close();
 * }
 *
 * <p>A {@code DinoClient} is one connection: when it ends, it stays ended. {@link DinoSession} builds on it
 * to reconnect across nodes and recover missed messages.
 *
 * <h2>Threads</h2>
 * All methods are thread-safe. Frames are sent in the order the calls were made. Received frames are handled
 * one at a time, in arrival order, on a thread of the {@link HttpClient}'s executor: event handlers run there,
 * and the futures returned by commands complete there. Because replies and events share that one ordered path,
 * every event the server sent before a reply has been handed to the event handler when the reply's future
 * completes. Do not block in event handlers or in non-async dependents of these futures; that stalls the
 * connection (use the {@code *Async} variants, or block on the future from your own thread).
 *
 * <h2>Failures</h2>
 * A command's future completes exceptionally with a {@link DinoException} when the server returns an error,
 * with a {@link ConnectionClosedException} when the connection ends before the reply, and with a
 * {@link TimeoutException} when no reply came within the request timeout.
 */
public final class DinoClient implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DinoClient.class.getName());
    /**
     * Numbers in message bodies keep their value: fractions become BigDecimals with their scale (a double
     * would turn {@code 1e400} into infinity and {@code 0.1000000000000000055511151231257827} into 0.1).
     */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
    // How long close() waits for the server's Close frame before dropping the connection.
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    // Unmatched replies are only kept for tests to inspect; a misbehaving server must not grow this without bound.
    private static final int UNMATCHED_CAPACITY = 256;

    private final URI uri;
    private final Duration requestTimeout;
    private final Consumer<JsonNode> onEvent;
    private final Consumer<JsonNode> onUnmatchedReply;
    private final CloseListener onClose;

    private final PendingRequests pending = new PendingRequests();
    private final SerialSender sender = new SerialSender();
    private final FrameRouter router;
    private final BlockingQueue<JsonNode> unmatched = new LinkedBlockingQueue<>(UNMATCHED_CAPACITY);
    private final AtomicBoolean closeSent = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final CompletableFuture<CloseStatus> closeFuture = new CompletableFuture<>();

    // Set in onOpen, before any frame is received or any send can be made.
    private volatile WebSocket webSocket;
    private volatile JsonNode connectResult;

    private DinoClient(Builder builder) {
        this.uri = builder.uri;
        this.requestTimeout = builder.requestTimeout;
        this.onEvent = builder.onEvent;
        this.onUnmatchedReply = builder.onUnmatchedReply;
        this.onClose = builder.onClose;
        this.router = new FrameRouter(MAPPER, pending, this::deliverEvent, this::deliverUnmatched);
    }

    /** Starts configuring a client for the given WebSocket URL, e.g. {@code ws://127.0.0.1:8080/ws}. */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /**
     * Opens a connection and authenticates it with {@code token}, with default settings and no event handler.
     * Same as {@code builder(uri).connect(token)}.
     */
    public static CompletableFuture<DinoClient> connect(URI uri, String token) {
        return builder(uri).connect(token);
    }

    /** The URL this client connected to. */
    public URI uri() {
        return uri;
    }

    /**
     * The result of the successful {@code connect} command ({@code user, session, node, protocol, expiresAt},
     * and {@code autojoined}, the autojoin rooms the server joined this connection to, when there were any), or
     * null before authentication.
     */
    public JsonNode connectResult() {
        return connectResult;
    }

    // ---- commands ------------------------------------------------------------------------------------------

    /**
     * Sends command {@code cmd} with the next id and the given fields.
     *
     * @param fields the command's fields besides {@code id} and {@code cmd} (which are ignored if present); may be null
     * @return completes with the reply's {@code result} node; see the class comment for how it fails
     */
    public CompletableFuture<JsonNode> request(String cmd, ObjectNode fields) {
        Objects.requireNonNull(cmd, "cmd");
        PendingRequests.Pending request = pending.register(requestTimeout, cmd);
        if (request.reply().isDone()) { // the connection has ended
            return request.reply();
        }
        String text;
        try {
            text = MAPPER.writeValueAsString(command(request.id(), cmd, fields));
        } catch (JsonProcessingException e) {
            pending.fail(request.id(), e);
            return request.reply();
        }
        sender.submit(() -> webSocket.sendText(text, true)).whenComplete((ignored, error) -> {
            if (error != null) {
                pending.fail(request.id(), error);
            }
        });
        return request.reply();
    }

    /**
     * Authenticates the connection ({@code connect} command); must be the first command.
     *
     * @return completes with {@code {"user","session","node","protocol","expiresAt","inbox":{"epoch","offset"}}}
     */
    public CompletableFuture<JsonNode> authenticate(String token) {
        return authenticate(token, null);
    }

    /**
     * Authenticates the connection and asks for the inbox messages after {@code inboxSince}.
     *
     * @param inboxSince the last inbox position the caller has seen, or null for none (same as
     *                   {@link #authenticate(String)})
     * @return completes with the connect result; its {@code inbox} object holds the inbox's current
     *         {@code epoch} and {@code offset} and, when {@code inboxSince} was given, {@code recovered} and the
     *         missed {@code messages}
     */
    public CompletableFuture<JsonNode> authenticate(String token, Position inboxSince) {
        ObjectNode fields = fields().put("token", token);
        putPosition(fields, "inbox", inboxSince);
        CompletableFuture<JsonNode> done = new CompletableFuture<>();
        // Record the result before completing, so connectResult() is set for whoever the future wakes up.
        request("connect", fields).whenComplete((result, error) -> {
            if (error != null) {
                done.completeExceptionally(unwrap(error));
            } else {
                connectResult = result;
                done.complete(result);
            }
        });
        return done;
    }

    /**
     * Joins a room. Completes with {@code {"room","epoch","offset","members":[...],"kind","channel","name"?,
     * "owners":[...],"rights":[...]}} ({@code name} for registered rooms only).
     */
    public CompletableFuture<JsonNode> join(String room) {
        return join(room, null);
    }

    /**
     * Joins the room named {@code name} in {@code channel} (null: the default channel). The result is a join's;
     * its {@code room} is the room's id, to use in every later command. Fails NO_SUCH_ROOM or NO_SUCH_CHANNEL.
     */
    public CompletableFuture<JsonNode> joinByName(String channel, String name) {
        ObjectNode fields = fields().put("name", name);
        if (channel != null) {
            fields.put("channel", channel);
        }
        return request("join", fields);
    }

    /**
     * Joins a room and asks for the messages after {@code since}. The result then also has {@code recovered}
     * and {@code messages} (the missed messages, oldest first; empty when {@code recovered} is false). Live
     * {@code message} events may repeat recovered messages, in either order: drop repeats by (epoch, offset),
     * or use {@link DinoSession}, which does.
     *
     * @param since the last position of the room the caller has seen, or null (same as {@link #join(String)})
     */
    public CompletableFuture<JsonNode> join(String room, Position since) {
        ObjectNode fields = fields().put("room", room);
        putPosition(fields, "since", since);
        return request("join", fields);
    }

    /** Leaves a room. */
    public CompletableFuture<JsonNode> leave(String room) {
        return request("leave", fields().put("room", room));
    }

    /**
     * Sends a message to a room.
     *
     * @param body any JSON value: a String, Number, Boolean, Map, List, {@link JsonNode}, or a bean Jackson can
     *             convert
     * @return completes with {@code {"id","epoch","offset","ts"}}
     */
    public CompletableFuture<JsonNode> send(String room, Object body) {
        return send(room, body, true);
    }

    /**
     * Sends a message to a room; with {@code echo} false this connection does not receive the message as an
     * event (the reply has its id and position; the user's other sessions and the room still receive it).
     */
    public CompletableFuture<JsonNode> send(String room, Object body, boolean echo) {
        ObjectNode fields = fields().put("room", room);
        fields.set("body", toJson(body));
        if (!echo) {
            fields.put("echo", false);
        }
        return request("send", fields);
    }

    /**
     * Sends a message to a room from another room this connection is in ({@code "via"}): the connection need not
     * be in {@code room}, whose {@code crossroom} rule decides (both rooms must be in one channel).
     */
    public CompletableFuture<JsonNode> sendVia(String room, String via, Object body) {
        ObjectNode fields = fields().put("room", room).put("via", via);
        fields.set("body", toJson(body));
        return request("send", fields);
    }

    /** Sends a private message to a user ({@code private} command). Same body and result as {@link #send}. */
    public CompletableFuture<JsonNode> sendPrivate(String user, Object body) {
        ObjectNode fields = fields().put("to", user);
        fields.set("body", toJson(body));
        return request("private", fields);
    }

    /**
     * Whispers in a room to some of its members ({@code whisper} command): only they and this user's sessions get
     * it, as a {@code private} event whose message has {@code whisper} (the room) and {@code recipients}. This
     * connection must be in the room and so must every recipient (1-20 distinct users, not this user).
     *
     * @return completes with {@code {"id","epoch","offset","ts"}} of the copy in this user's inbox
     */
    public CompletableFuture<JsonNode> whisper(String room, java.util.List<String> to, Object body) {
        ObjectNode fields = fields().put("room", room);
        to.forEach(fields.putArray("to")::add);
        fields.set("body", toJson(body));
        return request("whisper", fields);
    }

    /** Lists a room's members. Completes with {@code {"room","members":[...]}}. */
    public CompletableFuture<JsonNode> members(String room) {
        return request("members", fields().put("room", room));
    }

    /** Lists the rooms this session is in ({@code rooms} command). Completes with {@code {"rooms":[...]}}, sorted. */
    public CompletableFuture<JsonNode> rooms() {
        return request("rooms", null);
    }

    /** Reads a room's latest messages. Completes with {@code {"room","epoch","offset","messages":[...]}}. */
    public CompletableFuture<JsonNode> history(String room, int limit) {
        return request("history", fields().put("room", room).put("limit", limit));
    }

    /**
     * Sets the user's status for all the user's sessions ({@code status} command): {@code online}, {@code away},
     * or {@code invisible} (operators only, unless the server allows it for all). Completes with {@code {"status"}};
     * the user's sessions get a {@code status} event.
     */
    public CompletableFuture<JsonNode> setStatus(String status) {
        return request("status", fields().put("status", status));
    }

    /**
     * Status and last-online time of up to 100 users ({@code presence} command). Completes with
     * {@code {"users":[{"user","status","lastOnline"}]}}; invisible users show as offline except to operators.
     */
    public CompletableFuture<JsonNode> presence(java.util.List<String> users) {
        ObjectNode fields = fields();
        users.forEach(fields.putArray("users")::add);
        return request("presence", fields);
    }

    /**
     * The channels this user may see ({@code channels} command), by sort order then id. Completes with
     * {@code {"channels":[{"id","name","sortOrder","tags"}]}}.
     */
    public CompletableFuture<JsonNode> channels() {
        return request("channels", null);
    }

    /**
     * The registered rooms of a channel this user may see ({@code browse} command), by name. Completes with
     * {@code {"channel","rooms":[{"id","name","kind","topic","users"}]}}.
     */
    public CompletableFuture<JsonNode> browse(String channel) {
        return request("browse", fields().put("channel", channel));
    }

    /**
     * Creates a room in the default channel ({@code create} command): {@code kind} is {@code ephemeral},
     * {@code private} or {@code static}. Completes with the room: {@code {"room","name","channel","kind",...}}.
     */
    public CompletableFuture<JsonNode> createRoom(String kind, String name) {
        return createRoom(fields().put("kind", kind).put("name", name));
    }

    /**
     * Creates a room with any of the {@code create} fields ({@code name}, {@code kind}, {@code channel},
     * {@code topic}, {@code members}, {@code capacity}).
     */
    public CompletableFuture<JsonNode> createRoom(ObjectNode fields) {
        return request("create", fields);
    }

    /** Renames a room ({@code rename} command; its owners, its channel's owners and admins, operators). Completes with {@code {"room","name"}}. */
    public CompletableFuture<JsonNode> renameRoom(String room, String name) {
        return request("rename", fields().put("room", room).put("name", name));
    }

    /** Removes a room ({@code remove} command; who may as for rename). Completes with {@code {"room"}}. */
    public CompletableFuture<JsonNode> removeRoom(String room) {
        return request("remove", fields().put("room", room));
    }

    /**
     * Kicks a user out of a room ({@code kick} command; operators, the room's owners and moderators, its channel's
     * owners and admins; only operators may kick operators). {@code reason} may be null (at most 200 characters).
     * Completes with {@code {"room","user","sessions"}} (sessions taken out, on every node; 0 when the user was not in
     * the room). The user's sessions and the room get a {@code kicked} event.
     */
    public CompletableFuture<JsonNode> kick(String room, String user, String reason) {
        ObjectNode fields = fields().put("room", room).put("user", user);
        if (reason != null) {
            fields.put("reason", reason);
        }
        return request("kick", fields);
    }

    /**
     * Deletes one message of a room, softly ({@code delete} command with {@code message}: the id): its author or the room's
     * moderators (owners and moderators of the room, owners and admins of its channel, operators) may. The message
     * is left out of history and recovery for everyone until an operator restores it; the room gets a
     * {@code deleted} event. Completes with {@code {"room","deleted":{"ids":[id]},"changed":true}}; fails with
     * NO_SUCH_MESSAGE when the room's log does not hold the id.
     */
    public CompletableFuture<JsonNode> deleteMessage(String room, String id) {
        return request("delete", fields().put("room", room).put("message", id));
    }

    /** {@link #deleteMessage(String, String)} for a message whose offset is known: found with one read instead of a search. */
    public CompletableFuture<JsonNode> deleteMessage(String room, String id, long offset) {
        return request("delete", fields().put("room", room).put("message", id).put("offset", offset));
    }

    /**
     * Deletes every message of {@code user} in the room up to now ({@code delete} with {@code user}; the room's
     * moderators). Completes with {@code {"room","deleted":{"user","epoch","offset"},"changed"}}: up to that position.
     */
    public CompletableFuture<JsonNode> deleteUserMessages(String room, String user) {
        return request("delete", fields().put("room", room).put("user", user));
    }

    /** Deletes every message of the room up to now ({@code delete} with {@code all: true}; the room's moderators). */
    public CompletableFuture<JsonNode> deleteAllMessages(String room) {
        return request("delete", fields().put("room", room).put("all", true));
    }

    /**
     * Takes back the deletion of one message ({@code restore} with {@code message}; operators only). Completes with
     * {@code {"room","restored":{"ids":[...]},"changed"}} (no ids: it was not deleted); the room gets {@code restored}.
     */
    public CompletableFuture<JsonNode> restoreMessage(String room, String id) {
        return request("restore", fields().put("room", room).put("message", id));
    }

    /** Takes back the deletion of a user's messages in the room ({@code restore} with {@code user}; operators only). */
    public CompletableFuture<JsonNode> restoreUserMessages(String room, String user) {
        return request("restore", fields().put("room", room).put("user", user));
    }

    /** Takes back every deletion in the room ({@code restore} with {@code all: true}; operators only). */
    public CompletableFuture<JsonNode> restoreAllMessages(String room) {
        return request("restore", fields().put("room", room).put("all", true));
    }

    /**
     * Bans a user ({@code ban} command) from a room ({@code scope} {@code "room"}, who may: as for kick), a channel
     * ({@code "channel"}: its owners and admins, operators) or everywhere ({@code "global"}, {@code target} ignored:
     * operators). {@code duration} ({@code 30s}, {@code 10m}, {@code 2h}, {@code 7d}, {@code permanent}) and
     * {@code reason} may be null (null: permanent, no reason). Completes with
     * {@code {"user","scope","target","until","sessions"}}.
     */
    public CompletableFuture<JsonNode> ban(String user, String scope, String target, String duration, String reason) {
        ObjectNode fields = scoped(fields().put("user", user), scope, target);
        if (duration != null) {
            fields.put("duration", duration);
        }
        if (reason != null) {
            fields.put("reason", reason);
        }
        return request("ban", fields);
    }

    /** Lifts a ban ({@code unban} command; who may as for ban). Completes with {@code {"user","scope","target","removed"}}. */
    public CompletableFuture<JsonNode> unban(String user, String scope, String target) {
        return request("unban", scoped(fields().put("user", user), scope, target));
    }

    /**
     * The active bans ({@code bans} command) of a room, a channel or the global ones ({@code scope} as for ban), or
     * of a user in every scope ({@code scope} {@code "user"}, {@code target} the user; operators). Completes with
     * {@code {"bans":[{"user","scope","target","until","by","reason","at"}]}}.
     */
    public CompletableFuture<JsonNode> bans(String scope, String target) {
        ObjectNode fields = scope.equals("user") ? fields().put("user", target) : scoped(fields(), scope, target);
        return request("bans", fields);
    }

    /**
     * Mutes a user in a room ({@code mute} command; who may as for kick): the user's sends there are refused with
     * MUTED. {@code duration} and {@code reason} may be null. Completes with {@code {"room","user","until"}}.
     */
    public CompletableFuture<JsonNode> mute(String room, String user, String duration, String reason) {
        ObjectNode fields = fields().put("room", room).put("user", user);
        if (duration != null) {
            fields.put("duration", duration);
        }
        if (reason != null) {
            fields.put("reason", reason);
        }
        return request("mute", fields);
    }

    /** Lifts a mute ({@code unmute} command). Completes with {@code {"room","user","removed"}}. */
    public CompletableFuture<JsonNode> unmute(String room, String user) {
        return request("unmute", fields().put("room", room).put("user", user));
    }

    /** The room's active mutes ({@code mutes} command). Completes with {@code {"mutes":[{"room","user","until","by","reason","at"}]}}. */
    public CompletableFuture<JsonNode> mutes(String room) {
        return request("mutes", fields().put("room", room));
    }

    private static ObjectNode scoped(ObjectNode fields, String scope, String target) {
        return switch (scope) {
            case "room" -> fields.put("room", target);
            case "channel" -> fields.put("channel", target);
            case "global" -> fields.put("global", true);
            default -> throw new IllegalArgumentException("scope must be room, channel or global, not " + scope);
        };
    }

    /**
     * Replaces the session's token in place ({@code refresh} command): a token of the same user, valid and not
     * revoked. Completes with {@code {"expiresAt"}}; the session's expiry (and its roles and attributes) become the new
     * token's. Refused with {@code INVALID_TOKEN}, {@code TOKEN_EXPIRED}, {@code TOKEN_REVOKED} or {@code NOT_ALLOWED}
     * (another user's token); the session stays open either way.
     */
    public CompletableFuture<JsonNode> refresh(String token) {
        return request("refresh", fields().put("token", token));
    }

    /** A room's access rules ({@code acl} command). Completes with {@code {"room","rules":{action: rule}}}. */
    public CompletableFuture<JsonNode> roomAcl(String room) {
        return request("acl", fields().put("room", room));
    }

    /**
     * Replaces a room's access rules ({@code setacl} command; operators, the room's owners, its channel's owners and
     * admins). Completes with the rules as stored, {@code {"room","rules":{action: rule}}}.
     */
    public CompletableFuture<JsonNode> setRoomAcl(String room, java.util.Map<String, String> rules) {
        ObjectNode fields = fields().put("room", room);
        ObjectNode texts = fields.putObject("rules");
        rules.forEach(texts::put);
        return request("setacl", fields);
    }

    /**
     * Acknowledges a room up to an offset of its log ({@code receipt} command; the session must be in the room):
     * {@code kind} {@code "delivered"} or {@code "read"} (read implies delivered). A lower offset than stored changes
     * nothing. Completes with the stored marker, {@code {"room","epoch","delivered","read"}}.
     */
    public CompletableFuture<JsonNode> receipt(String room, String kind, long offset) {
        return request("receipt", fields().put("room", room).put("kind", kind).put("offset", offset));
    }

    /**
     * Acknowledges the user's inbox up to an offset ({@code receipt} command with {@code inbox: true}): the senders of
     * the newly acknowledged private messages get a {@code receipt} event, and a {@code delivered} receipt keeps those
     * messages out of the next connect's {@code inbox.unacked}. Completes with {@code {"inbox","epoch","delivered","read"}}.
     */
    public CompletableFuture<JsonNode> inboxReceipt(String kind, long offset) {
        return request("receipt", fields().put("inbox", true).put("kind", kind).put("offset", offset));
    }

    /**
     * Who of a room has received and read the message at an offset ({@code receipts} command; members only).
     * Completes with {@code {"room","offset","delivered":[users],"deliveredCount","read":[users],"readCount"}}.
     */
    public CompletableFuture<JsonNode> receipts(String room, long offset) {
        return request("receipts", fields().put("room", room).put("offset", offset));
    }

    /**
     * Whether the recipient of a private message has received and read it: {@code offset} is the message's offset in
     * the recipient's inbox (the {@code private} reply's); only its sender or recipient may ask ({@code receipts}
     * command). Completes with {@code {"to","offset","delivered":bool,"read":bool}}.
     */
    public CompletableFuture<JsonNode> privateReceipts(String to, long offset) {
        return request("receipts", fields().put("to", to).put("offset", offset));
    }

    /**
     * Reports a message ({@code room} and {@code messageId}) or a user ({@code user}; {@code room} then says where) to the
     * operators ({@code report} command): posted to the admin room. Null fields are left out; {@code reason} at most
     * 500 characters. Completes with {@code {"reported": true}}.
     */
    public CompletableFuture<JsonNode> report(String room, String messageId, String user, String reason) {
        ObjectNode fields = fields();
        if (room != null) {
            fields.put("room", room);
        }
        if (messageId != null) {
            fields.put("message", messageId);
        }
        if (user != null) {
            fields.put("user", user);
        }
        if (reason != null) {
            fields.put("reason", reason);
        }
        return request("report", fields);
    }

    /**
     * Asks for an admin in a room this session is in ({@code requestAdmin} command): posted to the admin room even
     * when no operator is there. {@code reason} may be null. Completes with {@code {"admins": N}}, the operators in
     * the admin room now, on every node.
     */
    public CompletableFuture<JsonNode> requestAdmin(String room, String reason) {
        ObjectNode fields = fields().put("room", room);
        if (reason != null) {
            fields.put("reason", reason);
        }
        return request("requestAdmin", fields);
    }

    /** A fresh object for {@link #createRoom(ObjectNode)}'s fields. */
    public ObjectNode newFields() {
        return fields();
    }

    /** Round trip to the server. Completes with {@code {"ts"}}. */
    public CompletableFuture<JsonNode> ping() {
        return request("ping", null);
    }

    /**
     * Sends {@code text} as one text frame, as is: for testing how the server treats malformed or unexpected
     * frames. The server's answers to such frames usually carry an id no request waits for (or
     * {@code "id": null}); they go to {@link Builder#onUnmatchedReply} and {@link #awaitUnmatchedReply}.
     *
     * @return completes when the frame has been handed to the network
     */
    public CompletableFuture<Void> sendRaw(String text) {
        Objects.requireNonNull(text, "text");
        return sender.submit(() -> webSocket.sendText(text, true));
    }

    /**
     * Takes the oldest received frame that was neither an event nor a reply to a waiting request (such as an
     * error with {@code "id": null}), waiting up to {@code timeout}. Frames that were not JSON are returned as a
     * text node holding the raw text. The most recent 256 are kept.
     *
     * @throws TimeoutException if none arrived in time
     */
    public JsonNode awaitUnmatchedReply(Duration timeout) throws InterruptedException, TimeoutException {
        JsonNode reply = unmatched.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (reply == null) {
            throw new TimeoutException("no unmatched reply within " + timeout);
        }
        return reply;
    }

    // ---- lifecycle -----------------------------------------------------------------------------------------

    /** Whether the connection is open: not ended, and this client has not started closing it. */
    public boolean isOpen() {
        WebSocket ws = webSocket;
        return ws != null && !ended.get() && !closeSent.get() && !ws.isOutputClosed();
    }

    /**
     * Completes with the close code and reason once the connection has ended, whoever ended it. By then every
     * waiting request has failed and the close listener has run. Never completes exceptionally.
     */
    public CompletableFuture<CloseStatus> closeFuture() {
        return closeFuture.copy();
    }

    /** Starts a normal close (code 1000); see {@link #close(int, String)}. Does not wait. */
    @Override
    public void close() {
        close(WebSocket.NORMAL_CLOSURE, "");
    }

    /**
     * Sends a Close frame after the frames already queued, then waits (without blocking the caller) for the
     * server's Close frame. If none arrives within 5 seconds, or the Close frame cannot be sent, the connection
     * is aborted. Does nothing if closing already started. Use {@link #closeFuture()} to wait for the end.
     */
    public void close(int code, String reason) {
        if (ended.get() || !closeSent.compareAndSet(false, true)) {
            return;
        }
        sender.submit(() -> webSocket.sendClose(code, reason)).whenComplete((ignored, error) -> {
            if (error != null) {
                LOG.log(System.Logger.Level.DEBUG, "sending Close to " + uri + " failed, aborting", error);
                abort();
            }
        });
        CompletableFuture.delayedExecutor(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (!ended.get()) {
                abort();
            }
        });
    }

    /**
     * Drops the TCP connection at once, without a close handshake (a client that vanished). The close status is
     * {@link CloseStatus#ABNORMAL} unless the connection had already ended.
     */
    public void abort() {
        WebSocket ws = webSocket;
        if (ws != null) {
            ws.abort();
        }
        ended(new CloseStatus(CloseStatus.ABNORMAL, "aborted by client"), null);
    }

    // ---- receiving -----------------------------------------------------------------------------------------

    private void deliverEvent(JsonNode event) {
        try {
            onEvent.accept(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event handler failed for " + event, e);
        }
    }

    private void deliverUnmatched(JsonNode frame) {
        // Keep the newest frames: drop the oldest when full.
        while (!unmatched.offer(frame)) {
            unmatched.poll();
        }
        try {
            onUnmatchedReply.accept(frame);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "unmatched-reply handler failed for " + frame, e);
        }
    }

    private void ended(CloseStatus status, Throwable cause) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        pending.failAll(new ConnectionClosedException(status, cause));
        try {
            onClose.onClose(status.code(), status.reason());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "close listener failed", e);
        }
        closeFuture.complete(status);
    }

    /** Receives from the WebSocket. The WebSocket calls it one method at a time, so its state needs no locking. */
    private final class Listener implements WebSocket.Listener {

        private final FrameAssembler assembler = new FrameAssembler();

        @Override
        public void onOpen(WebSocket ws) {
            webSocket = ws;
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            String text = assembler.add(data, last);
            if (text != null) {
                try {
                    router.route(text);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "failed to handle frame from " + uri + ": " + text, e);
                }
            }
            // One frame (part) at a time: ask for the next only when this one has been handled.
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            // The protocol has no binary frames; ignore them rather than fail the connection.
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            // Returning null lets the WebSocket answer with its own Close frame right away.
            ended(new CloseStatus(statusCode, reason), null);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            ended(new CloseStatus(CloseStatus.ABNORMAL, String.valueOf(error)), error);
        }
    }

    // ---- JSON helpers --------------------------------------------------------------------------------------

    private static ObjectNode fields() {
        return MAPPER.createObjectNode();
    }

    private static void putPosition(ObjectNode fields, String name, Position position) {
        if (position != null) {
            fields.putObject(name).put("epoch", position.epoch()).put("offset", position.offset());
        }
    }

    /** Builds a command frame: {@code id} and {@code cmd} first, then the fields. */
    static ObjectNode command(int id, String cmd, ObjectNode fields) {
        ObjectNode frame = MAPPER.createObjectNode().put("id", id).put("cmd", cmd);
        if (fields != null) {
            fields.properties().forEach(field -> {
                if (!field.getKey().equals("id") && !field.getKey().equals("cmd")) {
                    frame.set(field.getKey(), field.getValue());
                }
            });
        }
        return frame;
    }

    /** Converts a message body to a JSON value: a String becomes a JSON string, a Map an object, and so on. */
    static JsonNode toJson(Object body) {
        return body instanceof JsonNode node ? node : MAPPER.valueToTree(body);
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    // ---- builder -------------------------------------------------------------------------------------------

    /** Configures and opens a {@link DinoClient}. A builder can open any number of clients. */
    public static final class Builder {

        private final URI uri;
        private HttpClient httpClient;
        private Consumer<JsonNode> onEvent = event -> { };
        private Consumer<JsonNode> onUnmatchedReply = frame -> { };
        private CloseListener onClose = (code, reason) -> { };
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Builder(URI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /**
         * The HttpClient to connect with. Share one among many clients: each HttpClient has its own selector
         * thread. Without this, all clients share one default HttpClient.
         */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /** Called for every event frame, in arrival order, on the connection's receiving thread. */
        public Builder onEvent(Consumer<JsonNode> onEvent) {
            this.onEvent = Objects.requireNonNull(onEvent, "onEvent");
            return this;
        }

        /**
         * Called for every received frame that is neither an event nor a reply to a waiting request (errors with
         * {@code "id": null}, replies to ids sent with {@link DinoClient#sendRaw}, late replies to timed-out
         * requests, non-JSON text as a text node).
         */
        public Builder onUnmatchedReply(Consumer<JsonNode> onUnmatchedReply) {
            this.onUnmatchedReply = Objects.requireNonNull(onUnmatchedReply, "onUnmatchedReply");
            return this;
        }

        /** Called once when the connection ends. */
        public Builder onClose(CloseListener onClose) {
            this.onClose = Objects.requireNonNull(onClose, "onClose");
            return this;
        }

        /** Limit for the TCP connect and WebSocket handshake. Default 10 seconds. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        /** How long a command waits for its reply; null waits until the connection ends. Default 30 seconds. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** Adds a header to the handshake request (e.g. {@code Origin}). */
        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /**
         * Opens the WebSocket without authenticating, so a test can send other frames first (or instead).
         * Completes exceptionally if the handshake fails.
         */
        public CompletableFuture<DinoClient> open() {
            DinoClient client = new DinoClient(this);
            WebSocket.Builder ws = (httpClient != null ? httpClient : DefaultHttpClient.INSTANCE).newWebSocketBuilder()
                    .connectTimeout(connectTimeout);
            headers.forEach(ws::header);
            return ws.buildAsync(uri, client.new Listener()).thenApply(socket -> {
                client.webSocket = socket;
                return client;
            });
        }

        /**
         * Opens the WebSocket and authenticates with {@code token}. Completes with the client once the server
         * accepted the token; otherwise completes exceptionally (with a {@link DinoException} such as 4011
         * INVALID_TOKEN if the server refused it) and closes the connection.
         */
        public CompletableFuture<DinoClient> connect(String token) {
            return open().thenCompose(client -> client.authenticate(token).handle((result, error) -> {
                if (error == null) {
                    return CompletableFuture.completedFuture(client);
                }
                client.close();
                return CompletableFuture.<DinoClient>failedFuture(unwrap(error));
            }).thenCompose(future -> future));
        }
    }

    // One HttpClient, created on first use, for clients built without one: an HttpClient per connection would
    // cost a selector thread per connection.
    private static final class DefaultHttpClient {
        static final HttpClient INSTANCE = HttpClient.newHttpClient();
    }
}
