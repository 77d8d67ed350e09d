package io.dino.gateway.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dino.gateway.e2e.WebSocketFuzzTest.FuzzCase;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.dino.gateway.e2e.WebSocketFuzzTest.MAX_FRAME_BYTES;

/** The generators of {@link WebSocketFuzzTest}: JSON commands, text and frames, valid and not. */
final class FuzzCases {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FIN = 0x80;
    private static final int TEXT = 0x1;
    private static final int CONTINUATION = 0x0;
    private static final byte[] PING_FRAME = RawWebSocket.frame(FIN | 0x9, new byte[] {'p'});
    /** Bytes that occur in no valid UTF-8 text. */
    private static final List<Integer> NEVER_UTF8 = List.of(0xc0, 0xc1, 0xf5, 0xf6, 0xf7, 0xf8, 0xfc, 0xfe, 0xff);
    private static final List<Integer> RESERVED_OPCODES = List.of(0x3, 0x4, 0x5, 0x6, 0x7, 0xb, 0xc, 0xd, 0xe, 0xf);
    private static final Set<Integer> NONE = Set.of();

    private static final Arbitrary<String> STRINGS = Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(40),
            // multi-byte characters, so that fragment cuts land inside them
            Arbitraries.of("é", "🦖", "中", "\u0000", "a", "\"", "\\").list().ofMaxSize(20).map(l -> String.join("", l)))
            .map(FuzzCases::quoted);
    private static final Arbitrary<String> HUGE_NUMBERS = Combinators.combine(
                    Arbitraries.of("", "-"), Arbitraries.strings().numeric().ofMinLength(19).ofMaxLength(1500),
                    Arbitraries.of("", ".5", "e999999", "E-999999", "e+400"))
            .as((sign, digits, tail) -> sign + digits + tail);
    private static final Arbitrary<String> SCALARS = Arbitraries.oneOf(
            Arbitraries.integers().map(String::valueOf),
            Arbitraries.longs().map(String::valueOf),
            Arbitraries.doubles().map(String::valueOf),
            HUGE_NUMBERS,
            Arbitraries.of("true", "false", "null", "-0", "1e999999", "0.0000000000000000000001", "\"fuzz-a\"",
                    "\"fuzz-b\"", "\"healthy-room\"", "\"fuzzer\"", "\"healthy\""),
            STRINGS);
    private static final Arbitrary<String> VALUES = value(3);
    private static final Arbitrary<String> COMMAND_NAMES = Arbitraries.oneOf(
            Arbitraries.of("connect", "join", "leave", "send", "private", "members", "history", "ping").map(FuzzCases::quoted),
            STRINGS, VALUES);
    private static final Arbitrary<String> FIELD_NAMES = Arbitraries.oneOf(
            Arbitraries.of("room", "body", "to", "limit", "before", "after", "inbox", "since", "protocol", "token")
                    .map(FuzzCases::quoted),
            STRINGS);
    private static final Arbitrary<String> COMMANDS = Combinators.combine(
                    Arbitraries.oneOf(Arbitraries.integers().map(String::valueOf), STRINGS, VALUES).injectNull(0.05),
                    COMMAND_NAMES.injectNull(0.05),
                    Combinators.combine(FIELD_NAMES, VALUES).as((name, value) -> name + ":" + value).list().ofMaxSize(4))
            .as((id, cmd, fields) -> {
                List<String> members = new ArrayList<>();
                if (id != null) {
                    members.add("\"id\":" + id);
                }
                if (cmd != null) {
                    members.add("\"cmd\":" + cmd);
                }
                members.addAll(fields);
                return "{" + String.join(",", members) + "}";
            });
    private static final Arbitrary<String> DEEP_NESTING = Combinators.combine(
                    Arbitraries.integers().between(1, 3000), Arbitraries.of("[", "{\"a\":"), Arbitraries.of(true, false))
            .as((depth, open, closed) -> {
                String close = open.equals("[") ? "]" : "}";
                String nested = open.repeat(depth) + "1" + (closed ? close.repeat(depth) : "");
                return "{\"id\":1,\"cmd\":\"send\",\"room\":\"fuzz-a\",\"body\":" + nested + "}";
            });

    private FuzzCases() {
    }

    static Arbitrary<FuzzCase> all() {
        return Arbitraries.frequencyOf(
                Tuple.of(30, COMMANDS.list().ofMinSize(1).ofMaxSize(3).flatMap(texts -> staysOpen("commands", texts))),
                Tuple.of(5, DEEP_NESTING.flatMap(text -> staysOpen("deep nesting", List.of(text)))),
                Tuple.of(5, VALUES.flatMap(text -> staysOpen("bare JSON value", List.of(text)))),
                Tuple.of(5, Arbitraries.strings().ofMaxLength(300).flatMap(text -> staysOpen("text", List.of(text)))),
                Tuple.of(10, invalidUtf8()),
                Tuple.of(8, reservedOpcode()),
                Tuple.of(15, randomFrame()),
                Tuple.of(2, oversized()));
    }

    /** Valid UTF-8 messages, each cut into fragments anywhere (inside characters too): the socket stays open. */
    private static Arbitrary<FuzzCase> staysOpen(String kind, List<String> texts) {
        List<Arbitrary<List<byte[]>>> messages = texts.stream()
                .map(text -> fragments(text.getBytes(StandardCharsets.UTF_8)))
                .toList();
        return Combinators.combine(messages).as(framesPerMessage -> new FuzzCase(kind, describe(texts),
                framesPerMessage.stream().flatMap(List::stream).toList(), true, NONE, false));
    }

    /** A never-valid byte somewhere in a command, or a character cut off at its end: close 1007. */
    private static Arbitrary<FuzzCase> invalidUtf8() {
        Arbitrary<byte[]> inserted = Combinators.combine(COMMANDS, Arbitraries.of(NEVER_UTF8), Arbitraries.doubles().between(0, 1))
                .as((text, bad, where) -> insert(text.getBytes(StandardCharsets.UTF_8), bad, where));
        Arbitrary<byte[]> cutOff = Combinators.combine(COMMANDS, Arbitraries.of("e2", "e282", "f09f", "c3"))
                .as((text, tail) -> concat(text.getBytes(StandardCharsets.UTF_8), HexFormat.of().parseHex(tail)));
        return Arbitraries.oneOf(inserted, cutOff).flatMap(payload -> fragments(payload).map(frames ->
                // fragments after the bad one may be left unread: then the server's close may arrive as a reset
                new FuzzCase("invalid UTF-8", HexFormat.of().formatHex(payload), frames, false, Set.of(1007),
                        frames.size() > 1)));
    }

    /** A frame with a reserved opcode, possibly after valid commands: close 1002. */
    private static Arbitrary<FuzzCase> reservedOpcode() {
        return Combinators.combine(COMMANDS.list().ofMaxSize(2), Arbitraries.of(RESERVED_OPCODES), Arbitraries.of(0, FIN),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(125))
                .as((commands, opCode, fin, payload) -> {
                    List<byte[]> frames = new ArrayList<>();
                    commands.forEach(text -> frames.add(RawWebSocket.frame(FIN | TEXT, text.getBytes(StandardCharsets.UTF_8))));
                    frames.add(RawWebSocket.frame(fin | opCode, payload));
                    return new FuzzCase("reserved opcode", "opcode " + opCode + " after " + commands, frames, false,
                            Set.of(1002), false);
                });
    }

    /** Any first byte (FIN, RSV bits, opcode) and random payload bytes: open, or a close for a stated reason. */
    private static Arbitrary<FuzzCase> randomFrame() {
        return Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.bytes().array(byte[].class).ofMaxSize(200))
                .as((first, payload) -> new FuzzCase("random frame",
                        Integer.toHexString(first) + " " + HexFormat.of().formatHex(payload),
                        List.of(RawWebSocket.frame(first, payload)), true, Set.of(1000, 1002, 1007), true));
    }

    /** Beyond the frame limit (FRAME_TOO_LARGE, stays open) or beyond 4 x the limit (close 1009). */
    private static Arbitrary<FuzzCase> oversized() {
        return Arbitraries.integers().between(MAX_FRAME_BYTES + 1, 5 * MAX_FRAME_BYTES).map(size -> {
            byte[] payload = ("{\"id\":1,\"cmd\":\"ping\",\"pad\":\"" + "x".repeat(size) + "\"}").getBytes(StandardCharsets.UTF_8);
            boolean hard = payload.length > 4 * MAX_FRAME_BYTES;
            return new FuzzCase("oversized", payload.length + " bytes", List.of(RawWebSocket.frame(FIN | TEXT, payload)),
                    !hard, hard ? Set.of(1009) : NONE, hard);
        });
    }

    /** The payload as one text message of up to four fragments cut anywhere, maybe with a ping between them. */
    private static Arbitrary<List<byte[]>> fragments(byte[] payload) {
        return Combinators.combine(Arbitraries.integers().between(0, payload.length).list().ofMaxSize(3),
                        Arbitraries.of(false, true))
                .as((cuts, pingBetween) -> {
                    int[] bounds = cuts.stream().mapToInt(Integer::intValue).sorted().toArray();
                    List<byte[]> frames = new ArrayList<>();
                    int start = 0;
                    for (int i = 0; i <= bounds.length; i++) {
                        int end = i < bounds.length ? bounds[i] : payload.length;
                        int first = (i == 0 ? TEXT : CONTINUATION) | (i == bounds.length ? FIN : 0);
                        frames.add(RawWebSocket.frame(first, Arrays.copyOfRange(payload, start, end)));
                        if (pingBetween && i == 0 && bounds.length > 0) {
                            frames.add(PING_FRAME);
                        }
                        start = end;
                    }
                    return frames;
                });
    }

    private static Arbitrary<String> value(int depth) {
        if (depth == 0) {
            return SCALARS;
        }
        Arbitrary<String> inner = value(depth - 1);
        Arbitrary<String> arrays = inner.list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]");
        Arbitrary<String> objects = Combinators.combine(STRINGS, inner).as((name, value) -> name + ":" + value)
                .list().ofMaxSize(4).map(members -> "{" + String.join(",", members) + "}");
        return Arbitraries.frequencyOf(Tuple.of(4, SCALARS), Tuple.of(1, arrays), Tuple.of(1, objects));
    }

    private static String quoted(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] insert(byte[] bytes, int bad, double where) {
        int at = (int) (where * bytes.length);
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
