package io.dino.gateway.edge.ws;

import io.helidon.common.buffers.DataReader;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsCloseException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Reads the client's frames before Helidon's WebSocket connection does and hands them on re-encoded, so that
 * Helidon 4.5 only ever sees frames it handles correctly. Helidon decodes each text fragment to a String on its
 * own: a character split between two fragments became U+FFFD, invalid UTF-8 was accepted as U+FFFD, and a
 * reserved opcode escaped its frame loop as an IllegalArgumentException (an HTTP 500 written into the socket).
 * Here the fragments of a text message are validated as one UTF-8 stream and cut at character boundaries (the
 * first bytes of a split character move to the next fragment); a violation throws {@link WsCloseException}, which
 * Helidon answers with a close frame of that code. Used on the connection's reader thread only.
 */
final class ClientFrames implements Supplier<byte[]> {

    private static final int OP_CONTINUATION = 0x0;
    private static final int OP_TEXT = 0x1;
    private static final int OP_BINARY = 0x2;
    private static final int OP_CLOSE = 0x8;
    private static final int OP_PING = 0x9;
    private static final int OP_PONG = 0xA;
    private static final int MAX_CONTROL_PAYLOAD = 125;
    /** Payloads are handed on already unmasked; Helidon insists on the mask bit, so they carry the key 0. */
    private static final byte[] ZERO_MASK = new byte[4];
    private static final byte[] NONE = new byte[0];

    private enum Message { NONE, TEXT, BINARY }

    private final DataReader in;
    private final int maxFrameLength;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private Runnable whenRefused = () -> { };
    private Message message = Message.NONE;
    /** The first bytes of a character the previous text fragment ended in. */
    private byte[] carried = NONE;

    ClientFrames(DataReader in, int maxFrameLength) {
        this.in = in;
        this.maxFrameLength = maxFrameLength;
    }

    /**
     * Runs {@code cleanUp} on the reader thread before a refused frame closes the socket: Helidon then ends the
     * connection without telling its listener.
     */
    void whenRefused(Runnable cleanUp) {
        whenRefused = cleanUp;
    }

    /**
     * One client frame, checked and re-encoded; blocks until it has arrived. A frame is read whole before it is
     * refused (unless it is too large to read), so the close frame goes out on a socket with nothing unread, which
     * closes with FIN rather than a reset that could destroy the close frame before the client reads it.
     */
    @Override
    public byte[] get() {
        int first = in.read() & 0xff;
        boolean fin = (first & 0x80) != 0;
        int opCode = first & 0x0f;
        int second = in.read() & 0xff;
        long length = payloadLength(second & 0x7f);
        // checked before reading: a frame may claim up to 2^63 bytes
        if (length > maxFrameLength) {
            throw refused("Payload too large", WsCloseCodes.TOO_BIG);
        }
        byte[] payload = unmasked((second & 0x80) != 0, (int) length);
        if ((first & 0x70) != 0) {
            throw protocolError("reserved bits set without an extension");
        }
        return switch (opCode) {
            case OP_CONTINUATION, OP_TEXT, OP_BINARY -> encode(first, dataFrame(opCode, fin, payload));
            case OP_CLOSE, OP_PING, OP_PONG -> {
                if (!fin || length > MAX_CONTROL_PAYLOAD) {
                    throw protocolError("control frames must be final and at most 125 bytes");
                }
                // Helidon reads a close frame's status as two bytes: one alone made it fail with 1011
                if (opCode == OP_CLOSE && length == 1) {
                    throw protocolError("a close frame's status code has two bytes");
                }
                yield encode(first, payload);
            }
            default -> throw protocolError("reserved opcode " + opCode);
        };
    }

    private byte[] unmasked(boolean masked, int length) {
        if (!masked) {
            throw protocolError("unmasked client frame");
        }
        byte[] mask = in.readBytes(4);
        byte[] payload = length == 0 ? NONE : in.readBytes(length);
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= mask[i & 3];
        }
        return payload;
    }

    private byte[] dataFrame(int opCode, boolean fin, byte[] payload) {
        Message current = message;
        if (opCode == OP_CONTINUATION) {
            if (current == Message.NONE) {
                throw protocolError("continuation frame outside a fragmented message");
            }
        } else {
            if (current != Message.NONE) {
                throw protocolError("new message before the fragmented one ended");
            }
            current = opCode == OP_TEXT ? Message.TEXT : Message.BINARY;
            utf8.reset();
            carried = NONE;
        }
        message = fin ? Message.NONE : current;
        return current == Message.TEXT ? wholeCharacters(payload, fin) : payload;
    }

    /** The fragment's complete characters, with the bytes carried over from the previous fragment in front. */
    private byte[] wholeCharacters(byte[] payload, boolean last) {
        ByteBuffer bytes = ByteBuffer.wrap(carried.length == 0 ? payload : concat(carried, payload));
        // UTF-8 never needs more chars than bytes; only validity is wanted here, Helidon decodes again
        if (utf8.decode(bytes, CharBuffer.allocate(bytes.remaining()), last).isError()) {
            throw refused("invalid UTF-8 in a text message", WsCloseCodes.NOT_CONSISTENT);
        }
        // carried bytes can push a fragment just under the limit over it, and Helidon would close without clean-up
        if (bytes.position() > maxFrameLength) {
            throw refused("Payload too large", WsCloseCodes.TOO_BIG);
        }
        byte[] all = bytes.array();
        carried = Arrays.copyOfRange(all, bytes.position(), all.length);
        return bytes.position() == all.length ? all : Arrays.copyOf(all, bytes.position());
    }

    private long payloadLength(int lengthBits) {
        int extraBytes = switch (lengthBits) {
            case 126 -> 2;
            case 127 -> 8;
            default -> 0;
        };
        if (extraBytes == 0) {
            return lengthBits;
        }
        long length = 0;
        for (int i = 0; i < extraBytes; i++) {
            length = (length << 8) | (in.read() & 0xff);
        }
        if (length < 0) {
            throw protocolError("negative payload length");
        }
        return length;
    }

    private static byte[] encode(int first, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(first);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 1 << 16) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xff);
            }
        }
        frame.writeBytes(ZERO_MASK);
        frame.writeBytes(payload);
        return frame.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    private WsCloseException protocolError(String message) {
        return refused(message, WsCloseCodes.PROTOCOL_ERROR);
    }

    private WsCloseException refused(String message, int closeCode) {
        whenRefused.run();
        return new WsCloseException(message, closeCode);
    }
}
