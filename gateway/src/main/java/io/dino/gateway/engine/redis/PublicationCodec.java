package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Position;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.engine.Whisper;

import java.util.Arrays;
import java.util.List;

/**
 * A publication as stored in a stream entry: {@code id \n sender \n timestamp \n body}. Ids, senders and
 * compact JSON contain no raw newline, so the first three newlines split the fields. The log and
 * position are not stored in the text: they come from the key and the entry id.
 *
 * <p>A whisper's copy adds its room and recipients to the timestamp field, tab-separated:
 * {@code timestamp \t room \t user \t user...}. Room ids and user ids contain no control characters, so the
 * tabs split them; an entry stored before whispers existed has no tab there and reads as no whisper. (The
 * timestamp field because it is the one field nothing else parses: publish.lua gets the timestamp apart.)
 */
final class PublicationCodec {

    private PublicationCodec() {
    }

    static String encode(Publication publication) {
        return encode(publication.id(), publication.sender(), publication.timestamp(), publication.bodyJson(),
                publication.whisper());
    }

    static String encode(String id, String sender, long timestamp, String bodyJson, Whisper whisper) {
        StringBuilder text = new StringBuilder(id.length() + sender.length() + bodyJson.length() + 24);
        text.append(id).append('\n').append(sender).append('\n').append(timestamp);
        if (whisper != null) {
            text.append('\t').append(whisper.room());
            whisper.to().forEach(user -> text.append('\t').append(user));
        }
        return text.append('\n').append(bodyJson).toString();
    }

    static Publication decode(String encoded, LogId log, Position position) {
        int first = encoded.indexOf('\n');
        int second = encoded.indexOf('\n', first + 1);
        int third = encoded.indexOf('\n', second + 1);
        if (first < 0 || second < 0 || third < 0) {
            throw new IllegalArgumentException("not an encoded publication");
        }
        int tab = encoded.indexOf('\t', second + 1);
        boolean whispered = tab >= 0 && tab < third;
        Whisper whisper = null;
        if (whispered) {
            List<String> parts = Arrays.asList(encoded.substring(tab + 1, third).split("\t", -1));
            whisper = new Whisper(parts.getFirst(), parts.subList(1, parts.size()));
        }
        return new Publication(encoded.substring(0, first), log, encoded.substring(first + 1, second),
                Long.parseLong(encoded, second + 1, whispered ? tab : third, 10), position, encoded.substring(third + 1),
                whisper);
    }
}
