package io.dino.gateway.e2e;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * A WebSocket client on a raw socket, for frames no library client sends: fragments cut anywhere, invalid UTF-8,
 * reserved opcodes. Reads the server's frames itself; a read waits at most the given timeout.
 */
final class RawWebSocket implements AutoCloseable {

    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;

    /** A frame from the server (never masked). */
    record Frame(int opCode, boolean fin, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    static RawWebSocket open(int port, String path, Duration readTimeout) throws IOException {
        return open(port, path, readTimeout, 0);
    }

    /** With a receive buffer of this many bytes (0: the system's default); a small one fills soon when not read. */
    static RawWebSocket open(int port, String path, Duration readTimeout, int receiveBufferBytes) throws IOException {
        Socket socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);  // before connecting: it sets the TCP window offered
        }
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        socket.setSoTimeout((int) readTimeout.toMillis());
        handshake(socket, port, path);
        return new RawWebSocket(socket);
    }

    /** Sends the upgrade request and reads the 101 response. */
    static void handshake(Socket socket, int port, String path) throws IOException {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder response = new StringBuilder();
        while (!response.toString().endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                throw new IOException("connection closed during the handshake: " + response);
            }
            response.append((char) next);
        }
        if (!response.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("handshake refused: " + response);
        }
    }

    void sendText(String text) throws IOException {
        send(0x80 | TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one masked frame; {@code first} is the whole first byte (FIN, RSV bits, opcode). */
    void send(int first, byte[] payload) throws IOException {
        out.write(frame(first, payload));
        out.flush();
    }

    /** The bytes of one masked client frame, for tests that write many frames at once. */
    static byte[] frame(int first, byte[] payload) {
        return frame(first, payload, ThreadLocalRandom.current());
    }

    /** As {@link #frame(int, byte[])} with the mask drawn from {@code random}: a seeded one gives the same bytes again. */
    static byte[] frame(int first, byte[] payload, RandomGenerator random) {
        byte[] mask = new byte[4];
        random.nextBytes(mask);
        ByteBuffer frame = ByteBuffer.allocate(payload.length + 14);
        frame.put((byte) first);
        if (payload.length < 126) {
            frame.put((byte) (0x80 | payload.length));
        } else if (payload.length < 1 << 16) {
            frame.put((byte) (0x80 | 126)).putShort((short) payload.length);
        } else {
            frame.put((byte) (0x80 | 127)).putLong(payload.length);
        }
        frame.put(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.put((byte) (payload[i] ^ mask[i % 4]));
        }
        byte[] bytes = new byte[frame.position()];
        frame.flip().get(bytes);
        return bytes;
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The server's next frame other than a ping; waits at most the read timeout. */
    Frame read() throws IOException {
        while (true) {
            int first = in.readUnsignedByte();
            int second = in.readUnsignedByte();
            long length = second & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[Math.toIntExact(length)];
            in.readFully(payload);
            int opCode = first & 0x0f;
            if (opCode != PING) {
                return new Frame(opCode, (first & 0x80) != 0, payload);
            }
        }
    }

    /** Reads frames until the server's close frame. */
    Frame awaitClose() throws IOException {
        Frame frame;
        do {
            frame = read();
        } while (frame.opCode() != CLOSE);
        return frame;
    }

    /** Closes with a close frame (1000) first, so that the server ends the session at once. */
    @Override
    public void close() throws IOException {
        try (socket) {
            send(0x80 | CLOSE, new byte[] {0x03, (byte) 0xe8});
        } catch (IOException alreadyClosedByTheServer) {
            // nothing more to say
        }
    }
}
