package io.dino.gateway.e2e;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A WebSocket client written against the raw socket so it can do what no library client does on
 * purpose: stop reading, never answer pings, end the TCP connection without a close frame (FIN) or reset
 * it (RST). Sends masked text and ping frames; reads frames only when asked to.
 */
final class StalledSocket implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;

    /** A frame the server sent: its opcode (1 text, 8 close, 9 ping, 10 pong) and payload. */
    record Frame(int opcode, byte[] payload) {

        /** The status code of a close frame. */
        int closeCode() {
            return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }
    }

    private StalledSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
    }

    /** Opens a socket with a 4 KiB receive buffer, so that it fills after little data once it stops reading. */
    static StalledSocket open(int port, String path) throws IOException {
        return open(port, path, true);
    }

    /**
     * With {@code smallReceiveBuffer} false the system's default buffer is kept: such a socket takes more before
     * it fills, but reads fast once it reads again (through a 4 KiB window loopback moved only some 60 KB a second).
     */
    static StalledSocket open(int port, String path, boolean smallReceiveBuffer) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        if (smallReceiveBuffer) {
            socket.setReceiveBufferSize(4096);
        }
        RawWebSocket.handshake(socket, port, path);
        return new StalledSocket(socket);
    }

    void sendText(String text) throws IOException {
        send(0x81, text.getBytes(StandardCharsets.UTF_8));
    }

    void sendPing(byte[] payload) throws IOException {
        send(0x89, payload);
    }

    /**
     * The next frame from the server (the server neither masks nor fragments them); null at the end of the
     * stream, also when it ends inside a frame. Waits at most {@code timeout} for each read.
     */
    Frame readFrame(Duration timeout) throws IOException {
        socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
        DataInputStream data = new DataInputStream(socket.getInputStream());  // unbuffered: nothing is read ahead
        try {
            int first = data.readUnsignedByte();
            long length = data.readUnsignedByte() & 0x7f;
            if (length == 126) {
                length = data.readUnsignedShort();
            } else if (length == 127) {
                length = data.readLong();
            }
            byte[] payload = data.readNBytes(Math.toIntExact(length));
            return payload.length < length ? null : new Frame(first & 0x0f, payload);
        } catch (EOFException e) {
            return null;
        }
    }

    /** Ends the client's side of the TCP connection with a FIN, no close frame. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Resets the TCP connection: an RST instead of a FIN, as when a peer's process dies mid-connection. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    private void send(int firstByte, byte[] payload) throws IOException {
        out.write(RawWebSocket.frame(firstByte, payload));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
