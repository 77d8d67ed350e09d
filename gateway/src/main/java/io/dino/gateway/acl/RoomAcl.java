package io.dino.gateway.acl;

import io.dino.gateway.auth.Principal;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A room's access rules: at most one {@link AclExpression} per {@link RoomAction}; an action without a
 * rule is open to everyone. Immutable; parsed once from the stored text.
 */
public final class RoomAcl {

    /** No rules: everything is open. */
    public static final RoomAcl OPEN = new RoomAcl(new EnumMap<>(RoomAction.class));

    private final Map<RoomAction, AclExpression> rules;

    private RoomAcl(EnumMap<RoomAction, AclExpression> rules) {
        this.rules = Collections.unmodifiableMap(rules);
    }

    /**
     * Parses action id → rule text, as stored or as a backend sent it. A blank rule means no rule for the
     * action. An unknown action or a rule that does not parse is refused with an
     * {@link IllegalArgumentException} whose message names the action.
     */
    public static RoomAcl parse(Map<String, String> texts) {
        EnumMap<RoomAction, AclExpression> rules = new EnumMap<>(RoomAction.class);
        for (Map.Entry<String, String> entry : new TreeMap<>(texts).entrySet()) {
            RoomAction action = RoomAction.byId(entry.getKey()).orElseThrow(() -> new IllegalArgumentException(
                    "unknown action '" + entry.getKey() + "' (room actions: join, message, history, members)"));
            if (entry.getValue().isBlank()) {
                continue;
            }
            try {
                rules.put(action, AclExpression.parse(entry.getValue()));
            } catch (AclSyntaxException e) {
                throw new IllegalArgumentException("rule for '" + action.id() + "' " + e.getMessage(), e);
            }
        }
        return rules.isEmpty() ? OPEN : new RoomAcl(rules);
    }

    public Optional<AclExpression> rule(RoomAction action) {
        return Optional.ofNullable(rules.get(action));
    }

    public boolean isOpen() {
        return rules.isEmpty();
    }

    /** Whether the user may do the action here: operators always may; an action without a rule is open. */
    public Verdict check(Principal principal, RoomAction action) {
        AclExpression rule = rules.get(action);
        if (rule == null || principal.isOperator()) {
            return Verdict.PASS;
        }
        return rule.evaluate(principal);
    }

    /** Action id → canonical rule text, for storage and for GetRoomAcl. */
    public Map<String, String> texts() {
        Map<String, String> texts = new TreeMap<>();
        rules.forEach((action, rule) -> texts.put(action.id(), rule.toString()));
        return texts;
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
