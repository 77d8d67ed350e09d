package io.dino.gateway.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A WebSocket that hands the test every text frame exactly as the server wrote it (the Dino client parses
 * frames, which would hide how numbers were written), and can send any handshake header.
 */
final class TextWebSocket implements AutoCloseable {

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final WebSocket socket;

    private TextWebSocket(URI uri, Map<String, String> headers, Duration timeout) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(timeout);
        headers.forEach(builder::header);
        this.socket = builder.buildAsync(uri, new Collector()).join();
    }

    /** Opens a socket; the future fails with the handshake's error (e.g. a 403) when the server refuses it. */
    static CompletableFuture<TextWebSocket> open(URI uri, Map<String, String> headers, Duration timeout) {
        return CompletableFuture.supplyAsync(() -> new TextWebSocket(uri, headers, timeout));
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    String next(Duration timeout) throws InterruptedException, TimeoutException {
        String frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == null) {
            throw new TimeoutException("no frame within " + timeout);
        }
        return frame;
    }

    @Override
    public void close() {
        socket.abort();
    }

    private final class Collector implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }
}
