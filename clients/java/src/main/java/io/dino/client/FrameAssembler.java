package io.dino.client;

/**
 * Joins the parts of a fragmented text message. {@code java.net.http} may deliver one message over several
 * {@code onText} calls ({@code last == false} for all but the final part).
 *
 * <p>Not thread-safe: the WebSocket invokes its listener one call at a time, which is the only caller.
 */
final class FrameAssembler {

    // Null while no message is half-received, so idle connections (thousands in a load test) hold no buffer.
    private StringBuilder partial;

    /**
     * Adds one delivered part.
     *
     * @return the whole message when {@code last} is true, otherwise null
     */
    String add(CharSequence part, boolean last) {
        if (partial == null) {
            if (last) {
                // The common case: an unfragmented message. Copy it, since the WebSocket may reuse the buffer.
                return part.toString();
            }
            partial = new StringBuilder(Math.max(16, part.length() * 2));
        }
        partial.append(part);
        if (!last) {
            return null;
        }
        String whole = partial.toString();
        partial = null;
        return whole;
    }
}
