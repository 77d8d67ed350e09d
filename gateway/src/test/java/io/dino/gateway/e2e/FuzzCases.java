package io.dino.gateway.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dino.gateway.e2e.WebSocketFuzzTest.FuzzCase;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

import static io.dino.gateway.e2e.WebSocketFuzzTest.MAX_FRAME_BYTES;

/**
 * The generators of {@link WebSocketFuzzTest}: JSON commands, text and frames, valid and not. Everything, masks
 * included, is drawn from the one generator passed in, so that the same seed gives the same cases byte for byte.
 */
final class FuzzCases {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FIN = 0x80;
    private static final int TEXT = 0x1;
    private static final int CONTINUATION = 0x0;
    private static final int PING = 0x9;
    /** Bytes that occur in no valid UTF-8 text. */
    private static final List<Integer> NEVER_UTF8 = List.of(0xc0, 0xc1, 0xf5, 0xf6, 0xf7, 0xf8, 0xfc, 0xfe, 0xff);
    private static final List<Integer> RESERVED_OPCODES = List.of(0x3, 0x4, 0x5, 0x6, 0x7, 0xb, 0xc, 0xd, 0xe, 0xf);
    private static final Set<Integer> NONE = Set.of();
    /** Multi-byte characters among others, so that fragment cuts land inside them. */
    private static final List<String> TRICKY_CHARACTERS = List.of("é", "🦖", "中", "\u0000", "a", "\"", "\\");
    private static final List<String> TRICKY_SCALARS = List.of("true", "false", "null", "-0", "1e999999",
            "0.0000000000000000000001", "\"fuzz-a\"", "\"fuzz-b\"", "\"healthy-room\"", "\"fuzzer\"", "\"healthy\"");
    private static final List<String> COMMAND_NAMES = List.of("connect", "join", "leave", "send", "private", "members",
            "history", "ping");
    private static final List<String> FIELD_NAMES = List.of("room", "body", "to", "limit", "before", "after", "inbox",
            "since", "protocol", "token");
    private static final List<Integer> INT_EDGES = List.of(0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE);
    private static final List<Long> LONG_EDGES = List.of(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE);
    private static final List<Double> DOUBLE_EDGES = List.of(0.0, -0.0, 1.0, -1.0, Double.MIN_VALUE,
            Double.MAX_VALUE, -Double.MAX_VALUE);

    private FuzzCases() {
    }

    /** The next case; kinds weighted 30:5:5:5:10:8:15:2 in the order below. */
    static FuzzCase next(RandomGenerator random) {
        int roll = random.nextInt(80);
        if (roll < 30) {
            return staysOpen(random, "commands", list(random, 1, 3, FuzzCases::command));
        }
        if (roll < 35) {
            return staysOpen(random, "deep nesting", List.of(deepNesting(random)));
        }
        if (roll < 40) {
            return staysOpen(random, "bare JSON value", List.of(value(random, 3)));
        }
        if (roll < 45) {
            return staysOpen(random, "text", List.of(anyString(random, 300)));
        }
        if (roll < 55) {
            return invalidUtf8(random);
        }
        if (roll < 63) {
            return reservedOpcode(random);
        }
        if (roll < 78) {
            return randomFrame(random);
        }
        return oversized(random);
    }

    /** Valid UTF-8 messages, each cut into fragments anywhere (inside characters too): the socket stays open. */
    private static FuzzCase staysOpen(RandomGenerator random, String kind, List<String> texts) {
        List<byte[]> frames = new ArrayList<>();
        texts.forEach(text -> frames.addAll(fragments(random, text.getBytes(StandardCharsets.UTF_8))));
        return new FuzzCase(kind, describe(texts), frames, true, NONE, false);
    }

    /** A never-valid byte somewhere in a command, or a character cut off at its end: close 1007. */
    private static FuzzCase invalidUtf8(RandomGenerator random) {
        byte[] command = command(random).getBytes(StandardCharsets.UTF_8);
        byte[] payload = random.nextBoolean()
                ? insert(command, oneOf(random, NEVER_UTF8), random.nextInt(command.length + 1))
                : concat(command, HexFormat.of().parseHex(oneOf(random, List.of("e2", "e282", "f09f", "c3"))));
        List<byte[]> frames = fragments(random, payload);
        // fragments after the bad one may be left unread: then the server's close may arrive as a reset
        return new FuzzCase("invalid UTF-8", HexFormat.of().formatHex(payload), frames, false, Set.of(1007),
                frames.size() > 1);
    }

    /** A frame with a reserved opcode, possibly after valid commands: close 1002. */
    private static FuzzCase reservedOpcode(RandomGenerator random) {
        List<String> commands = list(random, 0, 2, FuzzCases::command);
        int opCode = oneOf(random, RESERVED_OPCODES);
        int fin = random.nextBoolean() ? FIN : 0;
        List<byte[]> frames = new ArrayList<>();
        commands.forEach(text -> frames.add(RawWebSocket.frame(FIN | TEXT, text.getBytes(StandardCharsets.UTF_8), random)));
        frames.add(RawWebSocket.frame(fin | opCode, bytes(random, 125), random));
        return new FuzzCase("reserved opcode", "opcode " + opCode + " after " + commands, frames, false, Set.of(1002),
                false);
    }

    /** Any first byte (FIN, RSV bits, opcode) and random payload bytes: open, or a close for a stated reason. */
    private static FuzzCase randomFrame(RandomGenerator random) {
        int first = random.nextInt(256);
        byte[] payload = bytes(random, 200);
        return new FuzzCase("random frame", Integer.toHexString(first) + " " + HexFormat.of().formatHex(payload),
                List.of(RawWebSocket.frame(first, payload, random)), true, Set.of(1000, 1002, 1007), true);
    }

    /** Beyond the frame limit (FRAME_TOO_LARGE, stays open) or beyond 4 x the limit (close 1009). */
    private static FuzzCase oversized(RandomGenerator random) {
        int size = random.nextInt(MAX_FRAME_BYTES + 1, 5 * MAX_FRAME_BYTES + 1);
        byte[] payload = ("{\"id\":1,\"cmd\":\"ping\",\"pad\":\"" + "x".repeat(size) + "\"}").getBytes(StandardCharsets.UTF_8);
        boolean hard = payload.length > 4 * MAX_FRAME_BYTES;
        return new FuzzCase("oversized", payload.length + " bytes", List.of(RawWebSocket.frame(FIN | TEXT, payload, random)),
                !hard, hard ? Set.of(1009) : NONE, hard);
    }

    /** The payload as one text message of up to four fragments cut anywhere, maybe with a ping between them. */
    private static List<byte[]> fragments(RandomGenerator random, byte[] payload) {
        int[] bounds = list(random, 0, 3, r -> r.nextInt(payload.length + 1)).stream()
                .mapToInt(Integer::intValue).sorted().toArray();
        boolean pingBetween = random.nextBoolean();
        List<byte[]> frames = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= bounds.length; i++) {
            int end = i < bounds.length ? bounds[i] : payload.length;
            int first = (i == 0 ? TEXT : CONTINUATION) | (i == bounds.length ? FIN : 0);
            frames.add(RawWebSocket.frame(first, Arrays.copyOfRange(payload, start, end), random));
            if (pingBetween && i == 0 && bounds.length > 0) {
                frames.add(RawWebSocket.frame(FIN | PING, new byte[] {'p'}, random));
            }
            start = end;
        }
        return frames;
    }

    /** A JSON object with a random id and command (each missing one time in 20) and up to four random fields. */
    private static String command(RandomGenerator random) {
        List<String> members = new ArrayList<>();
        if (random.nextInt(20) != 0) {
            members.add("\"id\":" + switch (random.nextInt(3)) {
                case 0 -> String.valueOf(integer(random));
                case 1 -> string(random);
                default -> value(random, 3);
            });
        }
        if (random.nextInt(20) != 0) {
            members.add("\"cmd\":" + switch (random.nextInt(3)) {
                case 0 -> quoted(oneOf(random, COMMAND_NAMES));
                case 1 -> string(random);
                default -> value(random, 3);
            });
        }
        members.addAll(list(random, 0, 4, r -> fieldName(r) + ":" + value(r, 3)));
        return "{" + String.join(",", members) + "}";
    }

    private static String fieldName(RandomGenerator random) {
        return random.nextBoolean() ? quoted(oneOf(random, FIELD_NAMES)) : string(random);
    }

    private static String deepNesting(RandomGenerator random) {
        int depth = random.nextInt(1, 3001);
        boolean array = random.nextBoolean();
        String open = array ? "[" : "{\"a\":";
        String close = array ? "]" : "}";
        String nested = open.repeat(depth) + "1" + (random.nextBoolean() ? close.repeat(depth) : "");
        return "{\"id\":1,\"cmd\":\"send\",\"room\":\"fuzz-a\",\"body\":" + nested + "}";
    }

    /** A JSON value nested up to {@code depth} levels: scalars four times as often as arrays or objects. */
    private static String value(RandomGenerator random, int depth) {
        int roll = depth == 0 ? 0 : random.nextInt(6);
        if (roll < 4) {
            return scalar(random);
        }
        if (roll == 4) {
            return "[" + String.join(",", list(random, 0, 4, r -> value(r, depth - 1))) + "]";
        }
        return "{" + String.join(",", list(random, 0, 4, r -> string(r) + ":" + value(r, depth - 1))) + "}";
    }

    private static String scalar(RandomGenerator random) {
        return switch (random.nextInt(6)) {
            case 0 -> String.valueOf(integer(random));
            case 1 -> String.valueOf(longInteger(random));
            case 2 -> String.valueOf(decimal(random));
            case 3 -> hugeNumber(random);
            case 4 -> oneOf(random, TRICKY_SCALARS);
            default -> string(random);
        };
    }

    /** Small ints (valid limits, say) as often as edge values and as any int. */
    private static int integer(RandomGenerator random) {
        return switch (random.nextInt(3)) {
            case 0 -> oneOf(random, INT_EDGES);
            case 1 -> random.nextInt(-100, 101);
            default -> random.nextInt();
        };
    }

    /** Edge values one time in four, else any long: small ones are covered by {@link #integer}. */
    private static long longInteger(RandomGenerator random) {
        return random.nextInt(4) == 0 ? oneOf(random, LONG_EDGES) : random.nextLong();
    }

    /** Finite doubles: edge values, small ones, and any magnitude up to about 1e308. */
    private static double decimal(RandomGenerator random) {
        return switch (random.nextInt(3)) {
            case 0 -> oneOf(random, DOUBLE_EDGES);
            case 1 -> random.nextDouble(-100, 100);
            default -> (random.nextBoolean() ? 1 : -1) * random.nextDouble() * Math.pow(10, random.nextInt(-320, 309));
        };
    }

    /** Beyond any long or double: 19 to 1500 digits, maybe with a fraction or a huge exponent. */
    private static String hugeNumber(RandomGenerator random) {
        StringBuilder digits = new StringBuilder(random.nextBoolean() ? "-" : "");
        int count = random.nextInt(19, 1501);
        for (int i = 0; i < count; i++) {
            digits.append((char) ('0' + random.nextInt(10)));
        }
        return digits + oneOf(random, List.of("", ".5", "e999999", "E-999999", "e+400"));
    }

    /** A quoted JSON string: any characters, or only the tricky ones. */
    private static String string(RandomGenerator random) {
        String text = random.nextBoolean()
                ? anyString(random, 40)
                : String.join("", list(random, 0, 20, r -> oneOf(r, TRICKY_CHARACTERS)));
        return quoted(text);
    }

    /** Up to {@code maxLength} chars: ASCII (controls included) half the time, else any code point but surrogates. */
    private static String anyString(RandomGenerator random, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder text = new StringBuilder(length);
        while (text.length() < length) {
            int codePoint = random.nextBoolean() ? random.nextInt(0x80) : random.nextInt(0x80, Character.MAX_CODE_POINT + 1);
            boolean surrogate = codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE;
            if (!surrogate && Character.charCount(codePoint) <= length - text.length()) {
                text.appendCodePoint(codePoint);
            }
        }
        return text.toString();
    }

    private static byte[] bytes(RandomGenerator random, int maxLength) {
        byte[] bytes = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(bytes);
        return bytes;
    }

    private static <T> List<T> list(RandomGenerator random, int minSize, int maxSize, Function<RandomGenerator, T> element) {
        int size = random.nextInt(minSize, maxSize + 1);
        List<T> items = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            items.add(element.apply(random));
        }
        return items;
    }

    private static <T> T oneOf(RandomGenerator random, List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    private static String quoted(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] insert(byte[] bytes, int bad, int at) {
        byte[] result = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, result, 0, at);
        result[at] = (byte) bad;
        System.arraycopy(bytes, at, result, at + 1, bytes.length - at);
        return result;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    private static String describe(List<String> texts) {
        return texts.stream().map(text -> text.length() <= 200 ? text : text.substring(0, 200) + "… (" + text.length() + " chars)")
                .collect(Collectors.joining(" | "));
    }
}
