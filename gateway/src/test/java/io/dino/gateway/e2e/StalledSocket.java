package io.dino.gateway.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client written against the raw socket so it can do what no library client does on
 * purpose: stop reading. Sends masked text frames; reads only the handshake response.
 */
final class StalledSocket implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;

    private StalledSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
    }

    static StalledSocket open(int port, String path) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setReceiveBufferSize(4096);
        RawWebSocket.handshake(socket, port, path);
        return new StalledSocket(socket);
    }

    void sendText(String text) throws IOException {
        out.write(RawWebSocket.frame(0x81, text.getBytes(StandardCharsets.UTF_8)));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
