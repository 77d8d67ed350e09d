package io.dino.loadgen;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A workload's command-line options: {@code --name value} or {@code --name=value}, every option taking a value.
 * Parsing checks names against the options the workload knows, so a typo fails instead of being ignored; the
 * typed getters check values. All failures are {@link UsageException}s.
 */
final class Options {

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

    private final Map<String, String> values;

    private Options(Map<String, String> values) {
        this.values = values;
    }

    /**
     * @param args  the arguments after the workload name
     * @param known option names without the leading dashes
     */
    static Options parse(List<String> args, Set<String> known) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument: " + arg);
            }
            String name;
            String value;
            int equals = arg.indexOf('=');
            if (equals >= 0) {
                name = arg.substring(2, equals);
                value = arg.substring(equals + 1);
            } else {
                name = arg.substring(2);
                if (i + 1 >= args.size()) {
                    throw new UsageException("option --" + name + " needs a value");
                }
                value = args.get(++i);
            }
            if (!known.contains(name)) {
                throw new UsageException("unknown option: --" + name);
            }
            if (values.put(name, value) != null) {
                throw new UsageException("option --" + name + " given twice");
            }
        }
        return new Options(values);
    }

    String string(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    /** A value that must be given, or else come from the environment variable {@code fallbackEnv} if not null. */
    String required(String name, String fallbackEnv) {
        String value = values.get(name);
        if (value == null && fallbackEnv != null) {
            value = System.getenv(fallbackEnv);
        }
        if (value == null || value.isEmpty()) {
            throw new UsageException("option --" + name + " is required" + (fallbackEnv == null ? "" : " (or set " + fallbackEnv + ")"));
        }
        return value;
    }

    /** A positive int. */
    int positiveInt(String name, int defaultValue) {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("option --" + name + " must be a positive integer: " + value);
    }

    OptionalLong optionalPositiveLong(String name) {
        String value = values.get(name);
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed > 0) {
                return OptionalLong.of(parsed);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("option --" + name + " must be a positive integer: " + value);
    }

    Duration duration(String name, Duration defaultValue) {
        String value = values.get(name);
        return value == null ? defaultValue : parseDuration(name, value);
    }

    URI uri(String name, String defaultValue, Set<String> schemes) {
        String value = values.getOrDefault(name, defaultValue);
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || !schemes.contains(uri.getScheme()) || uri.getHost() == null) {
                throw new UsageException("option --" + name + " must be a " + String.join(" or ", new TreeSet<>(schemes)) + " URL: " + value);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new UsageException("option --" + name + " is not a valid URL: " + value);
        }
    }

    /** Accepts {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, a plain number of seconds, or ISO-8601 ({@code PT10S}). */
    static Duration parseDuration(String name, String value) {
        Matcher simple = SIMPLE_DURATION.matcher(value);
        if (simple.matches()) {
            long amount = Long.parseLong(simple.group(1));
            String unit = simple.group(2) == null ? "s" : simple.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        try {
            Duration parsed = Duration.parse(value);
            if (!parsed.isNegative()) {
                return parsed;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw new UsageException("option --" + name + " must be a duration like 500ms, 10s, 2m: " + value);
    }
}
