package io.dino.gateway.edge.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dino.gateway.core.DinoException;
import io.dino.gateway.core.ErrorCode;
import io.dino.gateway.core.ReceiptOperations;
import io.dino.gateway.core.Session;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.engine.Receipts.Marker;

import java.util.Optional;
import java.util.OptionalLong;

/** The receipt commands (docs/protocol.md, Receipts): {@code receipt} marks, {@code receipts} asks. */
final class ReceiptCommands {

    private final ReceiptOperations receipts;
    private final Frames frames;

    ReceiptCommands(ReceiptOperations receipts, Frames frames) {
        this.receipts = receipts;
        this.frames = frames;
    }

    JsonNode execute(Session session, String command, JsonNode frame) {
        return switch (command) {
            case "receipt" -> receipt(session, frame);
            case "receipts" -> status(session, frame);
            default -> throw new DinoException(ErrorCode.UNKNOWN_COMMAND, "unknown command '" + command + "'");
        };
    }

    /** {@code {room | inbox: true, kind, offset, epoch?}} → {@code {room | inbox: true, epoch, delivered, read}}. */
    private JsonNode receipt(Session session, JsonNode frame) {
        boolean inbox = Fields.optionalBoolean(frame, "inbox");
        if (inbox && frame.hasNonNull("room")) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "give room or inbox: true, not both");
        }
        Optional<String> room = inbox ? Optional.empty() : Optional.of(Fields.text(frame, "room"));
        Marker marker = receipts.receipt(session, room, ReceiptOperations.kind(Fields.text(frame, "kind")),
                offset(frame), Fields.optionalText(frame, "epoch"));
        ObjectNode result = frames.object();
        if (inbox) {
            result.put("inbox", true);
        } else {
            result.put("room", room.get());
        }
        return result.put("epoch", marker.epoch()).put("delivered", marker.delivered()).put("read", marker.read());
    }

    /**
     * {@code {room, offset, epoch?}} → who of the room received and read it; {@code {to, offset, epoch?}} → whether the
     * recipient of a private message received and read it.
     */
    private JsonNode status(Session session, JsonNode frame) {
        long offset = offset(frame);
        Optional<String> epoch = Fields.optionalText(frame, "epoch");
        if (frame.hasNonNull("to")) {
            if (frame.hasNonNull("room")) {
                throw new DinoException(ErrorCode.INVALID_VALUE, "give room or to, not both");
            }
            ReceiptOperations.PrivateStatus status = receipts.privateStatus(session, Fields.text(frame, "to"), offset, epoch);
            return frames.object().put("to", status.to()).put("offset", status.offset())
                    .put("delivered", status.delivered()).put("read", status.read());
        }
        ReceiptOperations.RoomStatus status = receipts.roomStatus(session, Fields.text(frame, "room"), offset, epoch);
        ObjectNode result = frames.object().put("room", status.room()).put("offset", status.offset());
        status.delivered().forEach(result.putArray("delivered")::add);
        result.put("deliveredCount", status.deliveredCount());
        status.read().forEach(result.putArray("read")::add);
        return result.put("readCount", status.readCount());
    }

    /** Adds the unacknowledged private messages to a connect result's {@code inbox} (nothing when there are none). */
    void unacked(ObjectNode inbox, ReceiptOperations.Unacked unacked) {
        if (unacked.messages().isEmpty()) {
            return;  // absent when none: connect results stay as they were for users who acknowledged everything
        }
        var messages = inbox.putArray("unacked");
        for (Publication publication : unacked.messages()) {
            messages.add(frames.message(publication));
        }
        if (unacked.more()) {
            inbox.put("more", true);
        }
    }

    private static long offset(JsonNode frame) {
        OptionalLong offset = Fields.optionalOffset(frame, "offset");
        if (offset.isEmpty()) {
            throw new DinoException(ErrorCode.MISSING_FIELD, "'offset' is required");
        }
        return offset.getAsLong();
    }
}
