package io.dino.gateway.acl;

import io.dino.gateway.auth.Principal;

import java.util.Map;
import java.util.Optional;

/**
 * A room's access rules: at most one {@link AclExpression} per {@link RoomAction}; an action without a
 * rule is open to everyone. Immutable; parsed once from the stored text.
 */
public final class RoomAcl {

    /** No rules: everything is open. */
    public static final RoomAcl OPEN = new RoomAcl(ActionRules.none(RoomAction.class));

    private final ActionRules<RoomAction> rules;

    private RoomAcl(ActionRules<RoomAction> rules) {
        this.rules = rules;
    }

    /**
     * Parses action id → rule text, as stored or as a backend sent it. A blank rule means no rule for the
     * action. An unknown action or a rule that does not parse is refused with an
     * {@link IllegalArgumentException} whose message names the action.
     */
    public static RoomAcl parse(Map<String, String> texts) {
        ActionRules<RoomAction> rules = ActionRules.parse(RoomAction.class, "room", texts);
        return rules.isEmpty() ? OPEN : new RoomAcl(rules);
    }

    public Optional<AclExpression> rule(RoomAction action) {
        return rules.rule(action);
    }

    public boolean isOpen() {
        return rules.isEmpty();
    }

    /** Whether the subject may do the action here: operators always may; an action without a rule is open. */
    public Verdict check(AclSubject subject, RoomAction action) {
        return rules.check(subject, action);
    }

    /** {@link #check(AclSubject, RoomAction)} for the token alone (no stored roles, in no room). */
    public Verdict check(Principal principal, RoomAction action) {
        return check(AclSubject.of(principal), action);
    }

    /** Action id → canonical rule text, for storage and for GetRoomAcl. */
    public Map<String, String> texts() {
        return rules.texts();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RoomAcl acl && acl.rules.equals(rules);
    }

    @Override
    public int hashCode() {
        return rules.hashCode();
    }

    @Override
    public String toString() {
        return texts().toString();
    }
}
