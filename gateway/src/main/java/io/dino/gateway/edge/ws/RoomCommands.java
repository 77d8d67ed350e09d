package io.dino.gateway.edge.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dino.gateway.core.DinoException;
import io.dino.gateway.core.ErrorCode;
import io.dino.gateway.core.RoomAdmin;
import io.dino.gateway.core.Session;
import io.dino.gateway.core.UserRooms;
import io.dino.gateway.engine.Directory.ChannelRecord;
import io.dino.gateway.engine.Directory.RoomKind;
import io.dino.gateway.engine.Directory.RoomRecord;

import java.util.LinkedHashSet;
import java.util.Locale;

/** The channel and room management commands of a session: {@code channels}, {@code browse}, {@code create}, {@code rename}, {@code remove}, {@code acl}, {@code setacl}. */
final class RoomCommands {

    private final UserRooms rooms;
    private final Frames frames;

    RoomCommands(UserRooms rooms, Frames frames) {
        this.rooms = rooms;
        this.frames = frames;
    }

    JsonNode execute(Session session, String command, JsonNode frame) {
        return switch (command) {
            case "channels" -> {
                ObjectNode result = frames.object();
                ArrayNode channels = result.putArray("channels");
                for (ChannelRecord channel : rooms.channels(session)) {
                    ObjectNode entry = channels.addObject().put("id", channel.id()).put("name", channel.name())
                            .put("sortOrder", channel.sortOrder());
                    channel.tags().forEach(entry.putArray("tags")::add);
                }
                yield result;
            }
            case "browse" -> {
                String channel = Fields.text(frame, "channel");
                ObjectNode result = frames.object().put("channel", channel);
                ArrayNode list = result.putArray("rooms");
                for (UserRooms.Listed listed : rooms.browse(session, channel)) {
                    RoomRecord room = listed.room();
                    list.addObject().put("id", room.id()).put("name", room.name()).put("kind", kind(room.kind()))
                            .put("topic", room.topic() == null ? "" : room.topic()).put("users", listed.users());
                }
                yield result;
            }
            case "create" -> {
                RoomKind kind = switch (Fields.text(frame, "kind")) {
                    case "ephemeral" -> RoomKind.EPHEMERAL;
                    case "private" -> RoomKind.PRIVATE;
                    case "static" -> RoomKind.STATIC;
                    default -> throw new DinoException(ErrorCode.INVALID_VALUE, "'kind' must be ephemeral, private or static");
                };
                yield view(rooms.create(session, Fields.text(frame, "name"), kind, Fields.optionalText(frame, "channel"),
                        Fields.optionalText(frame, "topic").orElse(""),
                        new LinkedHashSet<>(Fields.optionalTexts(frame, "members")), Fields.optionalInt(frame, "capacity", 0)));
            }
            case "rename" -> {
                RoomRecord renamed = rooms.rename(session, Fields.text(frame, "room"), Fields.text(frame, "name"));
                yield frames.object().put("room", renamed.id()).put("name", renamed.name());
            }
            case "remove" -> {
                String room = Fields.text(frame, "room");
                rooms.remove(session, room);
                yield frames.object().put("room", room);
            }
            case "acl" -> {
                String room = Fields.text(frame, "room");
                yield rules(room, rooms.acl(room));
            }
            case "setacl" -> {
                String room = Fields.text(frame, "room");
                yield rules(room, rooms.setAcl(session, room, Fields.textMap(frame, "rules")));
            }
            default -> throw new DinoException(ErrorCode.UNKNOWN_COMMAND, "unknown command '" + command + "'");
        };
    }

    private ObjectNode rules(String room, java.util.Map<String, String> rules) {
        ObjectNode result = frames.object().put("room", room);
        ObjectNode texts = result.putObject("rules");
        rules.forEach(texts::put);
        return result;
    }

    /** A room record as {@code create} answers it. */
    private ObjectNode view(RoomAdmin.RoomView view) {
        RoomRecord room = view.room();
        ObjectNode result = frames.object()
                .put("room", room.id())
                .put("name", room.name())
                .put("channel", room.channel())
                .put("kind", kind(room.kind()))
                .put("topic", room.topic() == null ? "" : room.topic())
                .put("capacity", room.capacity())
                .put("membershipEvents", room.membershipEvents());
        view.owners().forEach(result.putArray("owners")::add);
        if (room.kind() == RoomKind.PRIVATE) {
            room.members().stream().sorted().forEach(result.putArray("members")::add);
        }
        return result;
    }

    static String kind(RoomKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
