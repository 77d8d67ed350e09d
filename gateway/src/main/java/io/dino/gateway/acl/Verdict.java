package io.dino.gateway.acl;

/**
 * The outcome of evaluating an access rule for one user: it passed, or which part of it failed.
 *
 * @param passed whether the user may do the action
 * @param failed the text of the smallest part of the rule that decided the refusal (empty when it passed)
 */
public record Verdict(boolean passed, String failed) {

    static final Verdict PASS = new Verdict(true, "");

    static Verdict fail(String part) {
        return new Verdict(false, part);
    }
}
