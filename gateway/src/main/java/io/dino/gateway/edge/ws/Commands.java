package io.dino.gateway.edge.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dino.gateway.core.DinoException;
import io.dino.gateway.core.ErrorCode;
import io.dino.gateway.core.HistoryPages;
import io.dino.gateway.core.Operations;
import io.dino.gateway.core.RoomOperations;
import io.dino.gateway.core.Session;
import io.dino.gateway.edge.json.JsonBodies;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.engine.Recovery;
import io.dino.gateway.engine.UserPresence;

import java.util.List;
import java.util.Set;

/**
 * The commands of an authenticated session (docs/protocol.md): each reads its fields, calls one core
 * operation and shapes the result.
 */
final class Commands {

    private static final Set<String> KNOWN = Set.of("connect", "join", "leave", "send", "private", "whisper", "members", "history", "ping",
            "status", "presence", "rooms", "channels", "browse", "create", "rename", "remove", "kick",
            "receipt", "receipts",
            "delete", "restore",
            "report", "requestAdmin",
            "ban", "unban", "bans", "mute", "unmute", "mutes",
            "refresh");

    private final Operations operations;
    private final Frames frames;
    private final JsonBodies bodies;
    private final RoomCommands roomCommands;
    private final ReceiptCommands receiptCommands;
    private final DeleteCommands deleteCommands;
    private final AbuseCommands abuseCommands;
    private final SanctionCommands sanctionCommands;

    Commands(Operations operations, Frames frames, JsonBodies bodies) {
        this.operations = operations;
        this.frames = frames;
        this.bodies = bodies;
        this.roomCommands = new RoomCommands(operations.userRooms(), frames);
        this.receiptCommands = new ReceiptCommands(operations.receipts(), frames);
        this.deleteCommands = new DeleteCommands(operations.deletes(), frames);
        this.abuseCommands = new AbuseCommands(operations.reports(), frames);
        this.sanctionCommands = new SanctionCommands(operations.sanctions(), frames);
    }

    static boolean isKnown(String command) {
        return KNOWN.contains(command);
    }

    JsonNode execute(Session session, String command, JsonNode frame) {
        return switch (command) {
            case "join" -> {
                RoomOperations.JoinResult joined = join(session, frame);
                ObjectNode result = roomAt(joined.room(), joined.position());
                users(result.putArray("members"), joined.members());
                joined.recovery().ifPresent(recovery -> recovered(result, recovery));
                result.put("kind", joined.kind()).put("channel", joined.channel());
                joined.name().ifPresent(name -> result.put("name", name));
                users(result.putArray("owners"), joined.owners());
                users(result.putArray("rights"), joined.rights());
                yield result;
            }
            case "leave" -> {
                String room = Fields.text(frame, "room");
                operations.rooms().leave(session, room);
                yield frames.object().put("room", room);
            }
            case "send" -> {
                String room = Fields.text(frame, "room");
                String body = bodies.toJson(frame.get("body"));
                boolean echo = Fields.optionalBoolean(frame, "echo", true);
                yield accepted(frame.hasNonNull("via")
                        ? operations.messages().sendToRoom(session, room, Fields.text(frame, "via"), body, echo)
                        : operations.messages().sendToRoom(session, room, body, echo));
            }
            case "private" -> accepted(operations.messages().sendPrivate(session, Fields.text(frame, "to"), bodies.toJson(frame.get("body"))));
            case "whisper" -> accepted(operations.whispers().whisper(session, Fields.text(frame, "room"), Fields.texts(frame, "to"),
                    bodies.toJson(frame.get("body"))));
            case "members" -> {
                String room = Fields.text(frame, "room");
                ObjectNode result = frames.object().put("room", room);
                users(result.putArray("members"), operations.rooms().members(session, room));
                yield result;
            }
            case "history" -> {
                int limit = Fields.optionalInt(frame, "limit", operations.pages().defaultLimit());
                boolean inbox = Fields.optionalBoolean(frame, "inbox");
                HistoryPages.HistoryResult history = inbox
                        ? operations.messages().inboxHistory(session, limit, Fields.optionalOffset(frame, "before"),
                                Fields.optionalOffset(frame, "after"))
                        : operations.rooms().history(session, Fields.text(frame, "room"), limit, Fields.optionalOffset(frame, "before"),
                                Fields.optionalOffset(frame, "after"));
                ObjectNode result = inbox
                        ? frames.object().put("inbox", true).put("epoch", history.position().epoch())
                                .put("offset", history.position().offset())
                        : roomAt(history.log().name(), history.position());
                ArrayNode messages = result.putArray("messages");
                for (Publication publication : history.messages()) {
                    messages.add(frames.message(publication));
                }
                if (history.truncated()) {
                    result.put("truncated", true);
                }
                yield result;
            }
            case "rooms" -> {
                ObjectNode result = frames.object();
                users(result.putArray("rooms"), operations.rooms().rooms(session));
                yield result;
            }
            case "ping" -> frames.object().put("ts", System.currentTimeMillis());
            case "status" -> frames.object().put("status", operations.presence().setStatus(session, Fields.text(frame, "status")).wireName());
            case "presence" -> {
                ObjectNode result = frames.object();
                ArrayNode users = result.putArray("users");
                for (UserPresence presence : operations.presence().presence(session, Fields.texts(frame, "users"))) {
                    ObjectNode user = users.addObject().put("user", presence.user()).put("status", presence.status().wireName());
                    if (presence.lastOnline().isPresent()) {
                        user.put("lastOnline", presence.lastOnline().getAsLong());
                    } else {
                        user.putNull("lastOnline");
                    }
                }
                yield result;
            }
            case "channels", "browse", "create", "rename", "remove", "acl", "setacl" -> roomCommands.execute(session, command, frame);
            case "kick" -> {
                String room = Fields.text(frame, "room");
                String user = Fields.text(frame, "user");
                int sessions = operations.moderation().kick(session, room, user, Fields.optionalText(frame, "reason").orElse(""));
                yield frames.object().put("room", room).put("user", user).put("sessions", sessions);
            }
            case "receipt", "receipts" -> receiptCommands.execute(session, command, frame);
            case "delete", "restore" -> deleteCommands.execute(session, command, frame);
            case "report", "requestAdmin" -> abuseCommands.execute(session, command, frame);
            case "ban", "unban", "bans", "mute", "unmute", "mutes" -> sanctionCommands.execute(session, command, frame);
            case "connect" -> throw new DinoException(ErrorCode.ALREADY_CONNECTED, "this session is already authenticated");
            case "refresh" -> frames.object().put("expiresAt",
                    operations.tokens().refresh(session, Fields.text(frame, "token")).toEpochMilli());
            default -> throw new DinoException(ErrorCode.UNKNOWN_COMMAND, "unknown command '" + command + "'");
        };
    }

    /** A join by id ({@code room}) or by name ({@code name}, {@code channel} optional); not both. */
    private RoomOperations.JoinResult join(Session session, JsonNode frame) {
        if (!frame.hasNonNull("name")) {
            return operations.rooms().join(session, Fields.text(frame, "room"), Fields.optionalPosition(frame, "since"));
        }
        if (frame.hasNonNull("room")) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "give either room or name, not both");
        }
        java.util.Optional<String> channel = frame.hasNonNull("channel")
                ? java.util.Optional.of(Fields.text(frame, "channel")) : java.util.Optional.empty();
        return operations.rooms().joinByName(session, channel, Fields.text(frame, "name"), Fields.optionalPosition(frame, "since"));
    }

    /** Adds the unacknowledged private messages to a connect result's {@code inbox}, if any. */
    void unacked(ObjectNode inbox, io.dino.gateway.core.ReceiptOperations.Unacked unacked) {
        receiptCommands.unacked(inbox, unacked);
    }

    /** Adds {@code recovered} and the missed {@code messages} to a join or connect result. */
    void recovered(ObjectNode result, Recovery recovery) {
        result.put("recovered", recovery.recovered());
        ArrayNode messages = result.putArray("messages");
        for (Publication publication : recovery.missed()) {
            messages.add(frames.message(publication));
        }
    }

    private ObjectNode accepted(Publication publication) {
        return frames.object()
                .put("id", publication.id())
                .put("epoch", publication.position().epoch())
                .put("offset", publication.position().offset())
                .put("ts", publication.timestamp());
    }

    private ObjectNode roomAt(String room, Position position) {
        return frames.object().put("room", room).put("epoch", position.epoch()).put("offset", position.offset());
    }

    private static void users(ArrayNode array, List<String> names) {
        names.forEach(array::add);
    }
}
