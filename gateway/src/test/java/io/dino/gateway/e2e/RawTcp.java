package io.dino.gateway.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Plain TCP connections to a node, for clients that speak no HTTP, or only part of it. */
final class RawTcp {

    private RawTcp() {
    }

    static Socket open(int port) throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), port);
    }

    static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /**
     * Whether the node has closed the connection (end of stream or reset). Reads and drops what the node sent;
     * waits at most 20 ms for it.
     */
    static boolean closedByNode(Socket socket) throws IOException {
        socket.setSoTimeout(20);
        byte[] sink = new byte[4096];
        try {
            while (true) {
                if (socket.getInputStream().read(sink) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException nothingMore) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
