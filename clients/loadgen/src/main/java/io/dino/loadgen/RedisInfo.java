package io.dino.loadgen;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Reads {@link RedisCounters} from a Redis server: {@code INFO stats commandstats} over one plain socket,
 * speaking just the RESP a request and its string reply need. A Redis client library (lettuce, as the node
 * uses) would bring Netty and an event loop into the generator for one command sent a few thousand times,
 * one at a time, from one thread.
 */
final class RedisInfo implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int DEFAULT_PORT = 6379;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RedisInfo(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /**
     * Connects to {@code redis://[[user]:password@]host[:port]}, authenticating when the URL has a password.
     *
     * @throws IllegalStateException if Redis cannot be reached or refuses the password: the workload cannot run
     */
    static RedisInfo connect(URI uri) {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort()),
                    (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            RedisInfo redis = new RedisInfo(socket);
            String userInfo = uri.getUserInfo();
            if (userInfo != null) {
                int colon = userInfo.indexOf(':');
                if (colon <= 0) {
                    redis.call("AUTH", userInfo.substring(colon + 1));
                } else {
                    redis.call("AUTH", userInfo.substring(0, colon), userInfo.substring(colon + 1));
                }
            }
            return redis;
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new IllegalStateException("cannot read INFO from Redis at " + uri.getHost() + ": " + e.getMessage(), e);
        }
    }

    RedisCounters read() {
        try {
            return RedisCounters.parse(call("INFO", "stats", "commandstats"));
        } catch (IOException e) {
            throw new UncheckedIOException("reading INFO from Redis failed: " + e.getMessage(), e);
        }
    }

    private String call(String... args) throws IOException {
        out.write(command(args));
        out.flush();
        return readReply(in);
    }

    /** A command as RESP: an array of bulk strings. */
    static byte[] command(String... args) {
        StringBuilder resp = new StringBuilder().append('*').append(args.length).append("\r\n");
        for (String arg : args) {
            resp.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
        }
        return resp.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A simple-string or bulk-string reply; an error reply becomes an IOException with Redis's message. */
    static String readReply(InputStream in) throws IOException {
        String line = readLine(in);
        if (line.isEmpty()) {
            throw new IOException("empty reply from Redis");
        }
        return switch (line.charAt(0)) {
            case '+' -> line.substring(1);
            case '-' -> throw new IOException("Redis: " + line.substring(1));
            case '$' -> {
                int length = Integer.parseInt(line.substring(1));
                if (length < 0) {
                    throw new IOException("null reply from Redis");
                }
                byte[] body = in.readNBytes(length);
                if (body.length < length || !readLine(in).isEmpty()) {
                    throw new IOException("truncated reply from Redis");
                }
                yield new String(body, StandardCharsets.UTF_8);
            }
            default -> throw new IOException("unexpected reply from Redis: " + line);
        };
    }

    /** One line without its CRLF. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("Redis closed the connection");
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
