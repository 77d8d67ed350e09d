package io.dino.gateway.edge.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dino.gateway.core.DinoException;
import io.dino.gateway.core.ErrorCode;
import io.dino.gateway.core.SanctionOperations;
import io.dino.gateway.core.Session;
import io.dino.gateway.engine.Sanctions.Sanction;
import io.dino.gateway.engine.Sanctions.Target;

import java.util.List;
import java.util.Optional;

/** The ban and mute commands of a session: {@code ban}, {@code unban}, {@code bans}, {@code mute}, {@code unmute}, {@code mutes}. */
final class SanctionCommands {

    static final List<String> NAMES = List.of("ban", "unban", "bans", "mute", "unmute", "mutes");

    private final SanctionOperations sanctions;
    private final Frames frames;

    SanctionCommands(SanctionOperations sanctions, Frames frames) {
        this.sanctions = sanctions;
        this.frames = frames;
    }

    JsonNode execute(Session session, String command, JsonNode frame) {
        return switch (command) {
            case "ban" -> {
                SanctionOperations.BanResult banned = sanctions.ban(session, Fields.text(frame, "user"), target(frame, true),
                        Fields.optionalText(frame, "duration").orElse(""), Fields.optionalText(frame, "reason").orElse(""));
                yield frames.object().put("user", banned.user()).put("scope", banned.target().scopeName())
                        .put("target", banned.target().id()).put("until", banned.until()).put("sessions", banned.sessions());
            }
            case "unban" -> {
                String user = Fields.text(frame, "user");
                Target target = target(frame, true);
                boolean removed = sanctions.unban(session, user, target);
                yield frames.object().put("user", user).put("scope", target.scopeName()).put("target", target.id())
                        .put("removed", removed);
            }
            case "bans" -> {
                Optional<String> user = Fields.optionalText(frame, "user");
                Optional<Target> target = Optional.ofNullable(target(frame, user.isEmpty()));
                if (user.isPresent() && target.isPresent()) {
                    throw new DinoException(ErrorCode.INVALID_VALUE, "give one of room, channel, global or user");
                }
                ObjectNode result = frames.object();
                ArrayNode list = result.putArray("bans");
                for (Sanction ban : sanctions.bans(session, target, user)) {
                    list.addObject().put("user", ban.user()).put("scope", ban.target().scopeName())
                            .put("target", ban.target().id()).put("until", ban.until()).put("by", ban.by())
                            .put("reason", ban.reason()).put("at", ban.at());
                }
                yield result;
            }
            case "mute" -> {
                String room = Fields.text(frame, "room");
                String user = Fields.text(frame, "user");
                long until = sanctions.mute(session, room, user, Fields.optionalText(frame, "duration").orElse(""),
                        Fields.optionalText(frame, "reason").orElse(""));
                yield frames.object().put("room", room).put("user", user).put("until", until);
            }
            case "unmute" -> {
                String room = Fields.text(frame, "room");
                String user = Fields.text(frame, "user");
                yield frames.object().put("room", room).put("user", user).put("removed", sanctions.unmute(session, room, user));
            }
            case "mutes" -> {
                String room = Fields.text(frame, "room");
                ObjectNode result = frames.object();
                ArrayNode list = result.putArray("mutes");
                for (Sanction mute : sanctions.mutes(session, room)) {
                    list.addObject().put("room", room).put("user", mute.user()).put("until", mute.until())
                            .put("by", mute.by()).put("reason", mute.reason()).put("at", mute.at());
                }
                yield result;
            }
            default -> throw new DinoException(ErrorCode.UNKNOWN_COMMAND, "unknown command '" + command + "'");
        };
    }

    /**
     * The scope a command names: {@code room}, {@code channel} or {@code global: true}, exactly one; none given:
     * MISSING_FIELD when {@code required}, else null.
     */
    private static Target target(JsonNode frame, boolean required) {
        Optional<String> room = Fields.optionalText(frame, "room");
        Optional<String> channel = Fields.optionalText(frame, "channel");
        boolean global = Fields.optionalBoolean(frame, "global");
        int given = (room.isPresent() ? 1 : 0) + (channel.isPresent() ? 1 : 0) + (global ? 1 : 0);
        if (given > 1) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "give one of room, channel or global");
        }
        if (given == 0) {
            if (required) {
                throw new DinoException(ErrorCode.MISSING_FIELD, "give room, channel or global: true");
            }
            return null;
        }
        return room.map(Target::room).orElseGet(() -> channel.map(Target::channel).orElse(Target.GLOBAL));
    }
}
