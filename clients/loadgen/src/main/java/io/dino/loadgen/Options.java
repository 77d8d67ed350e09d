package io.dino.loadgen;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A workload's command-line options: {@code --name value} or {@code --name=value}. Most options take a value;
 * flags ({@code --ramp}) take none, or an explicit {@code --ramp=true|false}; repeatable options
 * ({@code --url A --url B}) may be given several times. Parsing checks names against the options the workload
 * knows, so a typo fails instead of being ignored; the typed getters check values. All failures are
 * {@link UsageException}s.
 */
final class Options {

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");
    private static final Pattern PLAIN_NUMBER = Pattern.compile("\\d+(\\.\\d+)?");

    private final Map<String, List<String>> values;

    private Options(Map<String, List<String>> values) {
        this.values = values;
    }

    /**
     * Options that all take a value and may each be given once.
     *
     * @param args  the arguments after the workload name
     * @param known option names without the leading dashes
     */
    static Options parse(List<String> args, Set<String> known) {
        return parse(args, known, Set.of(), Set.of());
    }

    /**
     * @param args       the arguments after the workload name
     * @param known      option names without the leading dashes (including the flags and repeatable ones)
     * @param flags      options that take no value: present means true
     * @param repeatable options that may be given more than once; read them with {@link #strings}
     */
    static Options parse(List<String> args, Set<String> known, Set<String> flags, Set<String> repeatable) {
        Map<String, List<String>> values = new LinkedHashMap<>();
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
                if (flags.contains(name) && !value.equals("true") && !value.equals("false")) {
                    throw new UsageException("flag --" + name + " takes no value (or =true / =false): " + arg);
                }
            } else {
                name = arg.substring(2);
                if (flags.contains(name)) {
                    value = "true";
                } else {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("option --" + name + " needs a value");
                    }
                    value = args.get(++i);
                }
            }
            if (!known.contains(name)) {
                throw new UsageException("unknown option: --" + name);
            }
            List<String> given = values.computeIfAbsent(name, n -> new ArrayList<>());
            if (!given.isEmpty() && !repeatable.contains(name)) {
                throw new UsageException("option --" + name + " given twice");
            }
            given.add(value);
        }
        return new Options(values);
    }

    private String value(String name) {
        List<String> given = values.get(name);
        return given == null ? null : given.getFirst();
    }

    String string(String name, String defaultValue) {
        String value = value(name);
        return value == null ? defaultValue : value;
    }

    /** Every value of a repeatable option, in order; empty if not given. */
    List<String> strings(String name) {
        return List.copyOf(values.getOrDefault(name, List.of()));
    }

    /** Whether a flag was given (and not as {@code =false}). */
    boolean flag(String name) {
        return "true".equals(value(name));
    }

    /** A value that must be given, or else come from the environment variable {@code fallbackEnv} if not null. */
    String required(String name, String fallbackEnv) {
        String value = value(name);
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
        return number(name, defaultValue, Integer::parseInt, parsed -> parsed > 0, "a positive integer");
    }

    /** An int of zero or more. */
    int nonNegativeInt(String name, int defaultValue) {
        return number(name, defaultValue, Integer::parseInt, parsed -> parsed >= 0, "a whole number of 0 or more");
    }

    /** A positive, finite number such as {@code 100} or {@code 1.5}. */
    double positiveDouble(String name, double defaultValue) {
        return number(name, defaultValue, Double::parseDouble, parsed -> parsed > 0 && Double.isFinite(parsed), "a positive number");
    }

    /** A finite number of 0 or more, such as {@code 0} or {@code 0.5}. */
    double nonNegativeDouble(String name, double defaultValue) {
        return number(name, defaultValue, Double::parseDouble, parsed -> parsed >= 0 && Double.isFinite(parsed),
                "a number of 0 or more");
    }

    /** The option parsed, or the default when it is absent; a value that does not parse or is out of range is refused. */
    private <N extends Number> N number(String name, N defaultValue, java.util.function.Function<String, N> parser,
                                        java.util.function.Predicate<N> valid, String what) {
        String value = value(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            N parsed = parser.apply(value);
            if (valid.test(parsed)) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("option --" + name + " must be " + what + ": " + value);
    }

    OptionalDouble optionalPositiveDouble(String name) {
        return value(name) == null ? OptionalDouble.empty() : OptionalDouble.of(positiveDouble(name, 1));
    }

    OptionalLong optionalPositiveLong(String name) {
        String value = value(name);
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
        String value = value(name);
        return value == null ? defaultValue : parseDuration(name, value);
    }

    /**
     * A duration where a plain number means milliseconds ({@code 50} = {@code 50ms}), for latency limits; units
     * as in {@link #parseDuration} otherwise ({@code 50ms}, {@code 1s}).
     */
    Duration millis(String name, Duration defaultValue) {
        String value = value(name);
        if (value == null) {
            return defaultValue;
        }
        if (PLAIN_NUMBER.matcher(value).matches()) {
            return Duration.ofNanos(Math.round(Double.parseDouble(value) * 1_000_000));
        }
        return parseDuration(name, value);
    }

    URI uri(String name, String defaultValue, Set<String> schemes) {
        return toUri(name, string(name, defaultValue), schemes);
    }

    /** A URL that may be left out. */
    Optional<URI> optionalUri(String name, Set<String> schemes) {
        String value = value(name);
        return value == null ? Optional.empty() : Optional.of(toUri(name, value, schemes));
    }

    /** Every value of a repeatable URL option, or the default alone if none was given. */
    List<URI> uris(String name, String defaultValue, Set<String> schemes) {
        List<String> given = strings(name);
        return (given.isEmpty() ? List.of(defaultValue) : given).stream().map(value -> toUri(name, value, schemes)).toList();
    }

    private static URI toUri(String name, String value, Set<String> schemes) {
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
