package io.dino.gateway.limits;

/**
 * The rate limits of a node ({@code dino.limits.rate}, docs/configuration.md). Each {@link Rate} may be
 * {@link Rate#UNLIMITED}.
 *
 * @param commands    every frame of one WebSocket session
 * @param sends       {@code send}, {@code private}, {@code whisper} of one session
 * @param joins       {@code join} of one session
 * @param userSends   the sends of all of one user's sessions on this node
 * @param userJoins   the joins of all of one user's sessions on this node
 * @param apiKeyCalls every backend API call with one API key, on this node
 * @param floodClose  refused frames within 10 s after which the session is closed with
 *                    RATE_LIMITED; 0: never
 */
public record RateSettings(Rate commands, Rate sends, Rate joins, Rate userSends, Rate userJoins, Rate apiKeyCalls,
                           int floodClose) {

    /** No limit at all. */
    public static final RateSettings NONE = new RateSettings(Rate.UNLIMITED, Rate.UNLIMITED, Rate.UNLIMITED,
            Rate.UNLIMITED, Rate.UNLIMITED, Rate.UNLIMITED, 0);

    public RateSettings {
        if (floodClose < 0) {
            throw new IllegalArgumentException("flood-close is 0 or more: " + floodClose);
        }
    }
}
