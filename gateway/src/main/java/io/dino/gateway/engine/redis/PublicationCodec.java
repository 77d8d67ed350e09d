package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Publication;

/**
 * A publication as stored in a stream entry: {@code id \n sender \n timestamp \n body}. Ids, senders and
 * compact JSON contain no raw newline, so the first three newlines split the fields. The log and
 * position are not stored in the text: they come from the key and the entry id.
 */
final class PublicationCodec {

    private PublicationCodec() {
    }

    static String encode(Publication publication) {
        return publication.id() + '\n' + publication.sender() + '\n' + publication.timestamp() + '\n' + publication.bodyJson();
    }

    static String encode(String id, String sender, long timestamp, String bodyJson) {
        return id + '\n' + sender + '\n' + timestamp + '\n' + bodyJson;
    }

    static Publication decode(String encoded, LogId log, Position position) {
        int first = encoded.indexOf('\n');
        int second = encoded.indexOf('\n', first + 1);
        int third = encoded.indexOf('\n', second + 1);
        if (first < 0 || second < 0 || third < 0) {
            throw new IllegalArgumentException("not an encoded publication");
        }
        return new Publication(encoded.substring(0, first), log, encoded.substring(first + 1, second),
                Long.parseLong(encoded, second + 1, third, 10), position, encoded.substring(third + 1));
    }
}
