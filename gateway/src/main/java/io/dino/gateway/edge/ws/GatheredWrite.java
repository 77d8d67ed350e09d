package io.dino.gateway.edge.ws;

import io.helidon.common.buffers.BufferData;

import java.util.Arrays;

/**
 * Server frames encoded back to back for one socket write. Server frames are never masked and Dino never fragments
 * them: each is FIN and its opcode, the payload length (7 bits, or 126 and 16 bits, or 127 and 64 bits), the payload
 * (RFC 6455 §5.2). Also counts the text frames and characters it holds, which leave the queue's bounds when it is written.
 * Used by one writer at a time.
 */
final class GatheredWrite {

    static final int OP_TEXT = 0x1;
    static final int OP_PING = 0x9;
    static final int OP_PONG = 0xA;
    private static final int FIN = 0x80;
    private static final byte[] EMPTY = new byte[0];

    private byte[] bytes = EMPTY;
    private int length;
    private int textFrames;
    private long chars;

    /** The encoded size of a frame with this payload. */
    static int encodedLength(int payloadLength) {
        int header = payloadLength < 126 ? 2 : payloadLength < 1 << 16 ? 4 : 10;
        return header + payloadLength;
    }

    /** Appends one frame; {@code chars} is what it counts against the queue's size bound (0 for control frames). */
    void add(int opCode, byte[] payload, int chars) {
        int needed = length + encodedLength(payload.length);
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(needed, Math.min(bytes.length * 2, OutboundQueue.MAX_GATHERED_BYTES)));
        }
        bytes[length++] = (byte) (FIN | opCode);
        int n = payload.length;
        if (n < 126) {
            bytes[length++] = (byte) n;
        } else if (n < 1 << 16) {
            bytes[length++] = 126;
            bytes[length++] = (byte) (n >>> 8);
            bytes[length++] = (byte) n;
        } else {
            bytes[length++] = 127;
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes[length++] = (byte) ((long) n >>> shift);
            }
        }
        System.arraycopy(payload, 0, bytes, length, n);
        length += n;
        if (opCode == OP_TEXT) {
            textFrames++;
        }
        this.chars += chars;
    }

    int length() {
        return length;
    }

    /** The text frames it holds: only those count against the queue's frame bound. */
    int textFrames() {
        return textFrames;
    }

    long chars() {
        return chars;
    }

    boolean isEmpty() {
        return length == 0;
    }

    /** The encoded frames; valid until the next {@link #clear}. */
    BufferData buffer() {
        return BufferData.create(bytes, 0, length);
    }

    /** Empties it for the next frames; the array is kept. */
    void clear() {
        length = 0;
        textFrames = 0;
        chars = 0;
    }
}
