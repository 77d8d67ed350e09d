package io.dino.gateway.acl;

import java.util.Map;
import java.util.Optional;

/**
 * A channel's access rules: at most one {@link AclExpression} per {@link ChannelAction}; an action without a
 * rule is open to everyone. Immutable; parsed once from the stored text (the channel's record).
 */
public final class ChannelAcl {

    /** No rules: everything is open. */
    public static final ChannelAcl OPEN = new ChannelAcl(ActionRules.none(ChannelAction.class));

    private final ActionRules<ChannelAction> rules;

    private ChannelAcl(ActionRules<ChannelAction> rules) {
        this.rules = rules;
    }

    /**
     * Parses action id → rule text. A blank rule means no rule for the action. An unknown action (the message
     * lists the channel actions) or a rule that does not parse is refused with an {@link IllegalArgumentException}
     * whose message names the action.
     */
    public static ChannelAcl parse(Map<String, String> texts) {
        ActionRules<ChannelAction> rules = ActionRules.parse(ChannelAction.class, "channel", texts);
        return rules.isEmpty() ? OPEN : new ChannelAcl(rules);
    }

    public Optional<AclExpression> rule(ChannelAction action) {
        return rules.rule(action);
    }

    public boolean isOpen() {
        return rules.isEmpty();
    }

    /** Whether the subject may do the action in this channel: operators always may; no rule means open. */
    public Verdict check(AclSubject subject, ChannelAction action) {
        return rules.check(subject, action);
    }

    /** Action id → canonical rule text, for storage. */
    public Map<String, String> texts() {
        return rules.texts();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ChannelAcl acl && acl.rules.equals(rules);
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
