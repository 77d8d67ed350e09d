package io.dino.gateway.acl;

import io.dino.gateway.auth.Principal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One access rule, parsed once and evaluated against a user's token ({@link Principal}) as often as
 * needed. The grammar (docs/protocol.md, "Access control"):
 *
 * <pre>
 * rule   := item ( ',' item )*  |  item ( '|' item )*      ',' is AND, '|' is OR; mixing them needs parentheses
 * item   := '!' item  |  '(' group ')'  |  term           '!' is NOT
 * group  := as rule, but its items contain no parentheses  (one level only)
 * term   := 'deny'  |  'sameroom'  |  'samechannel'  |  name '=' [ '!' ] values  |  name '=' [ '!' ] range
 * values := value ( ';' value )*                          any of the values
 * range  := [ number ] ':' [ number ]                     inclusive; one end may be open
 * </pre>
 *
 * <p>A term passes when one of the user's values (a list attribute arrives comma-joined) equals one of
 * the listed values; {@code name=!values} when none does. The attribute {@code role} means the token's
 * roles and the roles the subject holds in context ({@link AclSubject}); {@code sameroom} and {@code samechannel}
 * pass when the subject's session is in the room, or in some room of its channel (never missing). Evaluation is three-valued: a term whose attribute the user lacks (or, for a range, whose
 * value is not a number) is <em>missing</em>, and missing fails — also under {@code !}: the negation of
 * a missing term is still missing. In an AND a missing part makes the whole missing; an OR passes if any
 * alternative passes. Only a rule that evaluates to "passed" lets the user through.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class AclExpression {

    /** Longest rule text accepted, in characters. */
    public static final int MAX_LENGTH = 1000;

    private static final String SPECIAL = ",|()!;=:";
    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("[+-]?[0-9]{1,30}(\\.[0-9]{1,30})?");

    private final Node root;

    private AclExpression(Node root) {
        this.root = root;
    }

    /** Parses a rule; a rule that does not parse is refused with the position and what was expected. */
    public static AclExpression parse(String text) {
        if (text.length() > MAX_LENGTH) {
            throw new AclSyntaxException(MAX_LENGTH + 1, "expected at most " + MAX_LENGTH + " characters");
        }
        Parser parser = new Parser(text);
        Node root = parser.sequence(false);
        return new AclExpression(root);
    }

    /** Whether the subject passes, and if not, which part of the rule refused. */
    public Verdict evaluate(AclSubject subject) {
        Result result = root.evaluate(subject);
        return result.outcome == Outcome.PASS ? Verdict.PASS : Verdict.fail(result.explain());
    }

    /** {@link #evaluate(AclSubject)} for the token alone: no stored roles, in no room. */
    public Verdict evaluate(Principal principal) {
        return evaluate(AclSubject.of(principal));
    }

    /** The rule in canonical form (what {@link #parse} of this text gives back is equal). */
    @Override
    public String toString() {
        return root.text(false);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AclExpression expression && expression.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    // ---- evaluation

    private enum Outcome { PASS, FAIL, MISSING }

    /**
     * An outcome and the part of the rule that decided it; the text is built only for a refusal, so
     * alternatives that fail on the way to a pass cost no string.
     *
     * @param absent {@code part} is a term whose attribute the user lacks
     */
    private record Result(Outcome outcome, Node part, boolean absent) {
        static final Result PASS = new Result(Outcome.PASS, null, false);

        static Result failed(Node part) {
            return new Result(Outcome.FAIL, part, false);
        }

        String explain() {
            String text = part.text(false);
            if (!absent) {
                return text;
            }
            String name = part instanceof Match match ? match.name : ((Range) part).name;
            return text + " (no " + name + " in the token)";
        }
    }

    private sealed interface Node permits Deny, Where, Match, Range, Not, All, Any {
        Result evaluate(AclSubject subject);

        /** The node as rule text; {@code nested}: inside an AND/OR or under '!', so AND/OR need parentheses. */
        String text(boolean nested);
    }

    private record Deny() implements Node {
        public Result evaluate(AclSubject subject) {
            return Result.failed(this);
        }

        public String text(boolean nested) {
            return "deny";
        }
    }

    /** {@code sameroom} or {@code samechannel}: a fact about the subject's session, never missing. */
    private record Where(boolean channel) implements Node {
        static final String ROOM = "sameroom";
        static final String CHANNEL = "samechannel";

        public Result evaluate(AclSubject subject) {
            return (channel ? subject.inChannel() : subject.inRoom()) ? Result.PASS : Result.failed(this);
        }

        public String text(boolean nested) {
            return channel ? CHANNEL : ROOM;
        }
    }

    /** {@code name=a;b} or {@code name=!a;b}; {@code role} matches the token's roles. */
    private record Match(String name, boolean negated, Set<String> values) implements Node {
        public Result evaluate(AclSubject subject) {
            boolean any;
            if (name.equals("role")) {
                any = subject.hasAnyRole(values);
            } else {
                String value = subject.attributes().get(name);
                if (value != null && value.indexOf(',') < 0) {
                    // one value, the common case: no list to build
                    String single = value.strip();
                    if (single.isEmpty()) {
                        return missing(this);
                    }
                    any = values.contains(single);
                } else {
                    Set<String> have = userValues(subject, name);
                    if (have.isEmpty()) {
                        return missing(this);
                    }
                    any = have.stream().anyMatch(values::contains);
                }
            }
            return any != negated ? Result.PASS : Result.failed(this);
        }

        public String text(boolean nested) {
            return name + "=" + (negated ? "!" : "") + String.join(";", values);
        }
    }

    /** {@code name=lo:hi}, inclusive, either end open (null). */
    private record Range(String name, boolean negated, BigDecimal low, BigDecimal high) implements Node {
        public Result evaluate(AclSubject subject) {
            String value = subject.attributes().get(name);
            BigDecimal number = value == null ? null : number(value.strip());
            if (number == null) {
                return missing(this);
            }
            boolean inside = (low == null || number.compareTo(low) >= 0) && (high == null || number.compareTo(high) <= 0);
            return inside != negated ? Result.PASS : Result.failed(this);
        }

        public String text(boolean nested) {
            return name + "=" + (negated ? "!" : "") + (low == null ? "" : low.toPlainString()) + ":"
                    + (high == null ? "" : high.toPlainString());
        }
    }

    private record Not(Node inner) implements Node {
        public Result evaluate(AclSubject subject) {
            Result result = inner.evaluate(subject);
            return switch (result.outcome) {
                case PASS -> Result.failed(this);
                case FAIL -> Result.PASS;
                case MISSING -> result;
            };
        }

        public String text(boolean nested) {
            return "!" + inner.text(true);
        }
    }

    /** AND: the first part that does not pass decides; a missing part makes the whole missing. */
    private record All(List<Node> parts) implements Node {
        public Result evaluate(AclSubject subject) {
            Result refusal = null;
            for (Node part : parts) {
                Result result = part.evaluate(subject);
                if (result.outcome == Outcome.MISSING) {
                    return result;
                }
                if (result.outcome == Outcome.FAIL && refusal == null) {
                    refusal = result;
                }
            }
            return refusal == null ? Result.PASS : refusal;
        }

        public String text(boolean nested) {
            String joined = parts.stream().map(part -> part.text(true)).collect(Collectors.joining(","));
            return nested ? "(" + joined + ")" : joined;
        }
    }

    /** OR: passes if any part passes; otherwise missing if a part was missing, else failed. */
    private record Any(List<Node> parts) implements Node {
        public Result evaluate(AclSubject subject) {
            Outcome outcome = Outcome.FAIL;
            for (Node part : parts) {
                Outcome result = part.evaluate(subject).outcome;
                if (result == Outcome.PASS) {
                    return Result.PASS;
                }
                if (result == Outcome.MISSING) {
                    outcome = Outcome.MISSING;
                }
            }
            return new Result(outcome, this, false);
        }

        public String text(boolean nested) {
            String joined = parts.stream().map(part -> part.text(true)).collect(Collectors.joining("|"));
            return nested ? "(" + joined + ")" : joined;
        }
    }

    private static Result missing(Node term) {
        return new Result(Outcome.MISSING, term, true);
    }

    /** The user's values of an attribute: a list attribute arrives comma-joined. */
    private static Set<String> userValues(AclSubject subject, String name) {
        String value = subject.attributes().get(name);
        if (value == null) {
            return Set.of();
        }
        Set<String> values = new LinkedHashSet<>();
        for (String part : value.split(",")) {
            String trimmed = part.strip();
            if (!trimmed.isEmpty()) {
                values.add(trimmed);
            }
        }
        return values;
    }

    /** A decimal number with an optional sign ({@code 18}, {@code -2.5}, {@code +3}), or null. */
    private static BigDecimal number(String text) {
        if (!NUMBER.matcher(text).matches()) {
            return null;
        }
        return new BigDecimal(text.startsWith("+") ? text.substring(1) : text);
    }

    // ---- parsing

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        /** Items joined by one operator, to the end (or to ')' when in parentheses). */
        Node sequence(boolean inParens) {
            List<Node> items = new ArrayList<>();
            char operator = 0;
            items.add(item(inParens));
            while (true) {
                skipSpace();
                if (atEnd()) {
                    break;
                }
                char c = text.charAt(pos);
                if (c == ')') {
                    if (inParens) {
                        break;
                    }
                    throw error("unexpected ')': there is no '(' to close");
                }
                if (c != ',' && c != '|') {
                    throw error(inParens ? "expected ',', '|' or ')'" : "expected ',', '|' or the end of the rule");
                }
                if (operator != 0 && operator != c) {
                    throw error("mixing ',' and '|' needs parentheses, e.g. (a|b),c");
                }
                operator = c;
                pos++;
                items.add(item(inParens));
            }
            if (items.size() == 1) {
                return items.getFirst();
            }
            return operator == ',' ? new All(List.copyOf(items)) : new Any(List.copyOf(items));
        }

        Node item(boolean inParens) {
            skipSpace();
            if (atEnd()) {
                throw error("expected a rule (a term such as gender=f, 'deny', 'sameroom', 'samechannel', '!' or '(')");
            }
            char c = text.charAt(pos);
            if (c == '!') {
                pos++;
                return new Not(item(inParens));
            }
            if (c == '(') {
                if (inParens) {
                    throw error("expected a term: parentheses nest only one level");
                }
                int open = pos + 1;
                pos++;
                Node inner = sequence(true);
                skipSpace();
                if (atEnd()) {
                    throw error("expected ')' to close the '(' at character " + open);
                }
                pos++;  // the ')' that sequence stopped at
                return inner;
            }
            return term();
        }

        Node term() {
            int start = pos;
            while (!atEnd() && isNameChar(text.charAt(pos), pos == start)) {
                pos++;
            }
            if (pos == start) {
                throw error("expected an attribute name, 'deny', 'sameroom', 'samechannel', '!' or '('");
            }
            String name = text.substring(start, pos);
            skipSpace();
            // the words take no value: followed by '=' they are attribute names, as any other word
            boolean word = atEnd() || text.charAt(pos) != '=';
            if (word && name.equals("deny")) {
                return new Deny();
            }
            if (word && (name.equals(Where.ROOM) || name.equals(Where.CHANNEL))) {
                return new Where(name.equals(Where.CHANNEL));
            }
            if (atEnd() || text.charAt(pos) != '=') {
                throw error("expected '=' after '" + name + "'");
            }
            pos++;
            skipSpace();
            boolean negated = false;
            if (!atEnd() && text.charAt(pos) == '!') {
                negated = true;
                pos++;
            }
            int valueStart = pos;
            String first = value();
            if (!atEnd() && text.charAt(pos) == ':') {
                if (name.equals("role")) {
                    throw error("role takes role names, not a range");
                }
                BigDecimal low = bound(first, valueStart);
                pos++;
                int highStart = pos;
                BigDecimal high = bound(value(), highStart);
                if (low == null && high == null) {
                    throw new AclSyntaxException(highStart + 1, "expected a number before or after ':'");
                }
                if (low != null && high != null && low.compareTo(high) > 0) {
                    throw new AclSyntaxException(valueStart + 1, "the range " + low.toPlainString() + ":"
                            + high.toPlainString() + " is empty");
                }
                return new Range(name, negated, low, high);
            }
            Set<String> values = new LinkedHashSet<>();
            if (first.isEmpty()) {
                throw new AclSyntaxException(valueStart + 1, "expected a value after '=" + (negated ? "!" : "") + "'");
            }
            values.add(first);
            while (!atEnd() && text.charAt(pos) == ';') {
                pos++;
                int next = pos;
                String value = value();
                if (value.isEmpty()) {
                    throw new AclSyntaxException(next + 1, "expected a value after ';'");
                }
                values.add(value);
            }
            return new Match(name, negated, java.util.Collections.unmodifiableSet(values));
        }

        /** Characters up to the next special character, trimmed; may be empty. */
        String value() {
            int start = pos;
            while (!atEnd() && SPECIAL.indexOf(text.charAt(pos)) < 0) {
                if (Character.isISOControl(text.charAt(pos))) {
                    throw error("unexpected control character");
                }
                pos++;
            }
            return text.substring(start, pos).strip();
        }

        /** A range end: empty (open) or a number. */
        private BigDecimal bound(String value, int at) {
            if (value.isEmpty()) {
                return null;
            }
            BigDecimal number = number(value);
            if (number == null) {
                throw new AclSyntaxException(at + 1, "expected a number (e.g. 18, -2.5), not '" + value + "'");
            }
            return number;
        }

        private static boolean isNameChar(char c, boolean first) {
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            return first ? letter : letter || (c >= '0' && c <= '9') || c == '-' || c == '.';
        }

        private void skipSpace() {
            while (!atEnd() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private boolean atEnd() {
            return pos >= text.length();
        }

        private AclSyntaxException error(String expected) {
            return new AclSyntaxException(pos + 1, expected);
        }
    }
}
