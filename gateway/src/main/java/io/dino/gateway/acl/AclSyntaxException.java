package io.dino.gateway.acl;

/**
 * An access rule that does not parse. The message names the position (1-based character) and what the
 * parser expected there, e.g. {@code at character 5: expected a value after '='}.
 */
public final class AclSyntaxException extends IllegalArgumentException {

    private final int position;

    AclSyntaxException(int position, String expected) {
        super("at character " + position + ": " + expected);
        this.position = position;
    }

    /** The 1-based character where parsing stopped (one past the end for input that ended too soon). */
    public int position() {
        return position;
    }
}
