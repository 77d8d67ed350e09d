package io.dino.gateway.acl;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * At most one {@link AclExpression} per action of one kind (a room's, a channel's); an action without a rule
 * is open to everyone. What {@link RoomAcl} and {@link ChannelAcl} share. Immutable.
 */
final class ActionRules<A extends Enum<A> & AclAction> {

    private final Class<A> type;
    private final Map<A, AclExpression> rules;

    private ActionRules(Class<A> type, EnumMap<A, AclExpression> rules) {
        this.type = type;
        this.rules = Collections.unmodifiableMap(rules);
    }

    static <A extends Enum<A> & AclAction> ActionRules<A> none(Class<A> type) {
        return new ActionRules<>(type, new EnumMap<>(type));
    }

    /**
     * Parses action id → rule text. A blank rule means no rule for the action. An unknown action (the message
     * lists the valid ones) or a rule that does not parse is refused, naming the action.
     *
     * @param kind {@code room} or {@code channel}, for the messages
     */
    static <A extends Enum<A> & AclAction> ActionRules<A> parse(Class<A> type, String kind, Map<String, String> texts) {
        EnumMap<A, AclExpression> rules = new EnumMap<>(type);
        for (Map.Entry<String, String> entry : new TreeMap<>(texts).entrySet()) {
            A action = Arrays.stream(type.getEnumConstants()).filter(a -> a.id().equals(entry.getKey())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown action '" + entry.getKey() + "' (" + kind
                            + " actions: " + Arrays.stream(type.getEnumConstants()).map(AclAction::id)
                            .collect(Collectors.joining(", ")) + ")"));
            if (entry.getValue().isBlank()) {
                continue;
            }
            try {
                rules.put(action, AclExpression.parse(entry.getValue()));
            } catch (AclSyntaxException e) {
                throw new IllegalArgumentException("rule for '" + action.id() + "' " + e.getMessage(), e);
            }
        }
        return new ActionRules<>(type, rules);
    }

    Optional<AclExpression> rule(A action) {
        return Optional.ofNullable(rules.get(action));
    }

    boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Operators always pass; an action without a rule is open. */
    Verdict check(AclSubject subject, A action) {
        AclExpression rule = rules.get(action);
        if (rule == null || subject.isOperator()) {
            return Verdict.PASS;
        }
        return rule.evaluate(subject);
    }

    /** Action id → canonical rule text, sorted by action id. */
    Map<String, String> texts() {
        Map<String, String> texts = new TreeMap<>();
        rules.forEach((action, rule) -> texts.put(action.id(), rule.toString()));
        return texts;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ActionRules<?> that && that.type == type && that.rules.equals(rules);
    }

    @Override
    public int hashCode() {
        return rules.hashCode();
    }
}
