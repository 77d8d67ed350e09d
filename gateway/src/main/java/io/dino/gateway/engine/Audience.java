package io.dino.gateway.engine;

/**
 * Which of a room's sessions a membership event is for. The engine only carries it; the core decides what an
 * operator is ({@code Hub.onMembership}).
 */
public enum Audience {
    /** Every session in the room. */
    EVERYONE,
    /** Operators' sessions and the user's own: the joins and leaves of an invisible user. */
    OPERATORS,
    /** Everyone else: a user who went invisible "leaves" for them, and "joins" again when visible. */
    NON_OPERATORS
}
