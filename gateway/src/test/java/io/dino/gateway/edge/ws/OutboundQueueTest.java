package io.dino.gateway.edge.ws;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.SocketContext;
import io.helidon.websocket.WsSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The queue's writes as bytes on the wire: gathered, in order, within the cap, the close after the frames. */
class OutboundQueueTest {

    /** A frame as a client decodes it. */
    private record Frame(int first, String payload) {
    }

    /** Runs the writer only when told, so that frames pile up first as they do behind a busy writer. */
    private static final class HeldWriters implements Executor {
        private final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
            }
        }
    }

    /** Every write as the bytes it carried. */
    private static final class RecordingWire implements DataWriter {
        final List<byte[]> writes = new CopyOnWriteArrayList<>();

        @Override
        public void write(BufferData... buffers) {
            for (BufferData buffer : buffers) {
                writeNow(buffer);
            }
        }

        @Override
        public void write(BufferData buffer) {
            writeNow(buffer);
        }

        @Override
        public void writeNow(BufferData... buffers) {
            write(buffers);
        }

        @Override
        public void writeNow(BufferData buffer) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            buffer.writeTo(out);
            writes.add(out.toByteArray());
        }
    }

    /** Helidon's side: only the close may come here, everything else goes through the wire. */
    private static final class Socket implements WsSession {
        final List<String> calls = new ArrayList<>();

        @Override
        public WsSession send(String text, boolean last) {
            calls.add("send");
            return this;
        }

        @Override
        public WsSession send(BufferData bufferData, boolean last) {
            calls.add("send");
            return this;
        }

        @Override
        public WsSession ping(BufferData bufferData) {
            calls.add("ping");
            return this;
        }

        @Override
        public WsSession pong(BufferData bufferData) {
            calls.add("pong");
            return this;
        }

        @Override
        public WsSession close(int code, String reason) {
            calls.add("close " + code);
            return this;
        }

        @Override
        public WsSession terminate() {
            throw new UnsupportedOperationException();
        }

        @Override
        public SocketContext socketContext() {
            throw new UnsupportedOperationException();
        }
    }

    private final HeldWriters writers = new HeldWriters();
    private final RecordingWire wire = new RecordingWire();
    private final Socket socket = new Socket();

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    private OutboundQueue queue(int frames, long chars) {
        return new OutboundQueue(socket, wire, new WriteScheduler(writers, timers, Duration.ZERO), frames, chars,
                () -> { });
    }

    @Test
    void framesWaitingTogetherGoOutInOneWriteInOrder() {
        OutboundQueue queue = queue(1000, 1_000_000);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            // small, 16-bit and 7-bit lengths mixed, and characters of more than one byte
            String frame = "{\"n\":" + i + ",\"body\":\"" + "é".repeat(i % 3 == 0 ? 200 : 3) + "\"}";
            sent.add(frame);
            assertThat(queue.offer(frame)).isTrue();
        }
        queue.ping();
        queue.pong(new byte[] {1, 2, 3});

        writers.runAll();

        assertThat(wire.writes).hasSize(1);
        List<Frame> frames = decode(wire.writes.getFirst());
        assertThat(frames).hasSize(52);
        assertThat(frames.subList(0, 50)).extracting(Frame::payload).containsExactlyElementsOf(sent);
        assertThat(frames.subList(0, 50)).extracting(Frame::first).containsOnly(0x81);
        assertThat(frames.get(50)).isEqualTo(new Frame(0x89, ""));
        assertThat(frames.get(51).first()).isEqualTo(0x8A);
        assertThat(frames.get(51).payload().getBytes(StandardCharsets.ISO_8859_1)).containsExactly(1, 2, 3);
        assertThat(socket.calls).isEmpty();
    }

    @Test
    void aBacklogIsWrittenInPiecesOfAtMostTheCapAndItsFramesLeaveTheBoundsWhenWritten() {
        OutboundQueue queue = queue(10_000, 10_000_000);
        String frame = "x".repeat(1000);
        int count = 300;
        for (int i = 0; i < count; i++) {
            assertThat(queue.offer(i + ":" + frame)).isTrue();
        }

        writers.runAll();

        assertThat(wire.writes).hasSizeGreaterThan(1);
        assertThat(wire.writes).allMatch(write -> write.length <= OutboundQueue.MAX_GATHERED_BYTES);
        List<Frame> frames = new ArrayList<>();
        for (byte[] write : wire.writes) {
            frames.addAll(decode(write));  // each write ends at a frame boundary
        }
        assertThat(frames).hasSize(count);
        for (int i = 0; i < count; i++) {
            assertThat(frames.get(i).payload()).isEqualTo(i + ":" + frame);
        }
        // all of it was released: a queue bounded at one frame takes one again
        OutboundQueue tight = queue(1, 10_000_000);
        assertThat(tight.offer("a")).isTrue();
        assertThat(tight.offer("b")).isFalse();
        writers.runAll();
        assertThat(tight.offer("c")).isTrue();
    }

    @Test
    void aFrameLargerThanTheCapGoesAloneAndWhole() {
        OutboundQueue queue = queue(10, 10_000_000);
        String big = "y".repeat(OutboundQueue.MAX_GATHERED_BYTES + 10);
        queue.offer("before");
        queue.offer(big);
        queue.offer("after");

        writers.runAll();

        assertThat(wire.writes).hasSize(3);
        assertThat(decode(wire.writes.get(1))).containsExactly(new Frame(0x81, big));
        assertThat(decode(wire.writes.get(2))).containsExactly(new Frame(0x81, "after"));
    }

    @Test
    void theCloseGoesThroughHelidonAfterTheFramesBeforeItAndNothingAfterIt() {
        OutboundQueue queue = queue(10, 10_000);
        queue.offer("one");
        queue.closeAfter("last", 4000, "bye", false);
        queue.offer("too late");

        writers.runAll();

        assertThat(wire.writes).hasSize(1);
        assertThat(decode(wire.writes.getFirst())).extracting(Frame::payload).containsExactly("one", "last");
        assertThat(socket.calls).containsExactly("close 4000");
    }

    @Test
    void withAWriteDelayFramesArrivingWithinItGoOutInOneWrite() {
        Duration delay = Duration.ofSeconds(1);
        Executor virtualThreads = task -> Thread.ofVirtual().start(task);
        OutboundQueue queue = new OutboundQueue(socket, wire, new WriteScheduler(virtualThreads, timers, delay), 10,
                10_000, () -> { });

        long start = System.nanoTime();
        queue.offer("first");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofMillis(600)).until(wire.writes::isEmpty);
        queue.offer("second");
        await().atMost(Duration.ofSeconds(5)).until(() -> wire.writes.size() == 1);

        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(delay.toNanos());
        assertThat(decode(wire.writes.getFirst())).extracting(Frame::payload).containsExactly("first", "second");
    }

    /** Decodes server frames (unmasked) that must fill the bytes exactly. */
    private static List<Frame> decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        List<Frame> frames = new ArrayList<>();
        while (in.hasRemaining()) {
            int first = in.get() & 0xff;
            int second = in.get() & 0xff;
            assertThat(second & 0x80).as("server frames are not masked").isZero();
            long length = second & 0x7f;
            if (length == 126) {
                length = in.getShort() & 0xffff;
            } else if (length == 127) {
                length = in.getLong();
            }
            byte[] payload = new byte[Math.toIntExact(length)];
            in.get(payload);
            boolean text = (first & 0x0f) == 0x1;
            frames.add(new Frame(first, new String(payload, text ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1)));
        }
        return frames;
    }
}
