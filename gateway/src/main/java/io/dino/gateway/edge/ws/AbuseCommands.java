package io.dino.gateway.edge.ws;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.gateway.core.Reports;
import io.dino.gateway.core.Session;

/** {@code report} and {@code requestAdmin} (docs/protocol.md, "Reports and the admin room"). */
final class AbuseCommands {

    private final Reports reports;
    private final Frames frames;

    AbuseCommands(Reports reports, Frames frames) {
        this.reports = reports;
        this.frames = frames;
    }

    JsonNode execute(Session session, String command, JsonNode frame) {
        return switch (command) {
            case "report" -> {
                reports.report(session, Fields.optionalText(frame, "room"), Fields.optionalText(frame, "message"),
                        Fields.optionalText(frame, "user"), Fields.optionalText(frame, "reason").orElse(""));
                yield frames.object().put("reported", true);
            }
            case "requestAdmin" -> frames.object().put("admins", reports.requestAdmin(session, Fields.text(frame, "room"),
                    Fields.optionalText(frame, "reason").orElse("")));
            default -> throw new IllegalArgumentException(command);
        };
    }
}
