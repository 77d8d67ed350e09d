package io.dino.gateway.ops;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads: a small tokenizer, enough for the dashboard and the
 * alert rules. It drops string literals (label values, Grafana's {@code $variables} in them), label
 * matchers, ranges and subqueries, the label lists of {@code by}, {@code without}, {@code on},
 * {@code ignoring} and {@code group_left/right}; what is left is functions (an identifier followed
 * by {@code (}), keywords, numbers and durations, and metric names.
 */
final class PromQlNames {

    private static final Pattern STRING = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern LABEL_LIST =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?\\w+}?");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![A-Za-z0-9_:.])[A-Za-z_:][A-Za-z0-9_:]*(\\s*\\()?");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2",
            "inf", "nan", "by", "without", "on", "ignoring", "group_left", "group_right", "start", "end");

    private PromQlNames() {
    }

    static Set<String> of(String expr) {
        String rest = STRING.matcher(expr).replaceAll(" ");
        rest = MATCHERS.matcher(rest).replaceAll(" ");
        rest = RANGE.matcher(rest).replaceAll(" ");
        rest = LABEL_LIST.matcher(rest).replaceAll(" ");
        rest = VARIABLE.matcher(rest).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher token = IDENTIFIER.matcher(rest);
        while (token.find()) {
            boolean function = token.group(1) != null;
            String name = token.group().replaceAll("[\\s(]", "");
            if (!function && !KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }
}
