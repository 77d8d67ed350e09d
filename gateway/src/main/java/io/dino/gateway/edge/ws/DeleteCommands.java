package io.dino.gateway.edge.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dino.gateway.core.DinoException;
import io.dino.gateway.core.ErrorCode;
import io.dino.gateway.core.MessageDeletes;
import io.dino.gateway.core.MessageDeletes.Outcome;
import io.dino.gateway.core.MessageDeletes.Target;
import io.dino.gateway.core.Session;
import io.dino.gateway.engine.Position;

/**
 * The soft-deletion commands of a session: {@code delete} and {@code restore}, each of {@code {room, message}} (a message id, with an
 * optional {@code offset}; {@code id} is the frame's request id), {@code {room, user}} or {@code {room, all: true}}.
 */
final class DeleteCommands {

    private final MessageDeletes deletes;
    private final Frames frames;

    DeleteCommands(MessageDeletes deletes, Frames frames) {
        this.deletes = deletes;
        this.frames = frames;
    }

    JsonNode execute(Session session, String command, JsonNode frame) {
        String room = Fields.text(frame, "room");
        Target target = target(frame);
        return switch (command) {
            case "delete" -> reply("deleted", deletes.delete(session, room, target));
            case "restore" -> reply("restored", deletes.restore(session, room, target));
            default -> throw new DinoException(ErrorCode.UNKNOWN_COMMAND, "unknown command '" + command + "'");
        };
    }

    /** Exactly one of {@code message}, {@code user}, {@code all: true}. */
    static Target target(JsonNode frame) {
        boolean all = Fields.optionalBoolean(frame, "all");
        int forms = (frame.hasNonNull("message") ? 1 : 0) + (frame.hasNonNull("user") ? 1 : 0) + (all ? 1 : 0);
        if (forms != 1) {
            throw new DinoException(forms == 0 ? ErrorCode.MISSING_FIELD : ErrorCode.INVALID_VALUE,
                    "give exactly one of 'message' (a message id), 'user' or 'all': true");
        }
        if (frame.hasNonNull("message")) {
            return new Target.Message(Fields.text(frame, "message"), Fields.optionalOffset(frame, "offset"));
        }
        return frame.hasNonNull("user") ? new Target.User(Fields.text(frame, "user")) : new Target.All();
    }

    /** {@code {room, deleted|restored: {ids} | {user[, epoch, offset]} | {all: true[, epoch, offset]}, changed}}. */
    private ObjectNode reply(String field, Outcome outcome) {
        ObjectNode result = frames.object().put("room", outcome.room());
        ObjectNode what = result.putObject(field);
        if (outcome.all()) {
            what.put("all", true);
        } else if (!outcome.user().isEmpty()) {
            what.put("user", outcome.user());
        } else {
            outcome.ids().forEach(what.putArray("ids")::add);
        }
        if (!outcome.upTo().equals(Position.EMPTY)) {
            what.put("epoch", outcome.upTo().epoch()).put("offset", outcome.upTo().offset());
        }
        result.put("changed", outcome.changed());
        return result;
    }
}
