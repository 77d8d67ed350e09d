package io.dino.gateway.edge.http;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.RequestException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** Helidon's stack traces about broken clients become one line each, at most so many a minute per kind. */
class BrokenClientLogTest {

    private static final String CONNECTION_HANDLER = "io.helidon.webserver.ConnectionHandler";
    private static final String HTTP1_CONNECTION = "io.helidon.webserver.http1.Http1Connection";

    private final List<LogRecord> lines = new CopyOnWriteArrayList<>();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-30T00:00:00Z"));
    private BrokenClientLog log;

    @BeforeEach
    void create() {
        Logger out = Logger.getAnonymousLogger();
        out.setUseParentHandlers(false);
        out.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        log = new BrokenClientLog(out, now::get, 3, Duration.ofMinutes(1));
    }

    @Test
    void aClientThatClosedBeforeItsRequestBecomesOneLineWithoutAStackTrace() {
        assertThat(log.isLoggable(record(CONNECTION_HANDLER, "[0x1 0x2] unexpected exception",
                new DataReader.InsufficientDataAvailableException()))).isFalse();

        assertThat(lines).singleElement().satisfies(line -> {
            assertThat(line.getThrown()).isNull();
            assertThat(line.getLevel()).isEqualTo(Level.INFO);
            assertThat(line.getMessage()).startsWith("closed-early: ").contains("[0x1 0x2] unexpected exception")
                    .doesNotContain("\n");
        });
    }

    @Test
    void aClientThatClosedInTheMiddleOfItsRequestHeadBecomesOneLine() {
        RequestException helidon = RequestException.builder().message("Internal error")
                .cause(new DataReader.InsufficientDataAvailableException()).build();
        assertThat(log.isLoggable(record(HTTP1_CONNECTION, "Internal server error", helidon))).isFalse();
        assertThat(log.isLoggable(record(CONNECTION_HANDLER, "unexpected I/O exception",
                new java.io.UncheckedIOException(new SocketException("Connection reset"))))).isFalse();

        assertThat(lines).extracting(LogRecord::getMessage).satisfiesExactly(
                first -> assertThat(first).startsWith("closed-early: "),
                second -> assertThat(second).startsWith("connection-error: ").contains("Connection reset"));
        assertThat(lines).allSatisfy(line -> assertThat(line.getThrown()).isNull());
    }

    @Test
    void otherRecordsPassUnchanged() {
        RequestException serverBug = RequestException.builder().message("Internal error")
                .cause(new IllegalStateException("a bug")).build();
        assertThat(log.isLoggable(record(HTTP1_CONNECTION, "Internal server error", serverBug))).isTrue();
        assertThat(log.isLoggable(record(HTTP1_CONNECTION, "no exception", null))).isTrue();
        assertThat(log.isLoggable(record("io.dino.gateway.Other", "elsewhere",
                new DataReader.InsufficientDataAvailableException()))).isTrue();
        assertThat(lines).isEmpty();
    }

    @Test
    void eachKindWritesAtMostItsBudgetPerWindowAndTheNextLineCountsWhatWasLeftOut() {
        for (int i = 0; i < 7; i++) {
            log.handshakeTimedOut(new InetSocketAddress("127.0.0.1", 5000 + i), Duration.ofSeconds(10));
            log.isLoggable(record(CONNECTION_HANDLER, "unexpected exception", new DataReader.InsufficientDataAvailableException()));
        }
        assertThat(lines).hasSize(6);   // 3 of each kind

        now.set(now.get().plus(Duration.ofMinutes(1)));
        log.handshakeTimedOut(new InetSocketAddress("127.0.0.1", 6000), Duration.ofSeconds(10));

        assertThat(lines).hasSize(7);
        assertThat(lines.getLast().getMessage())
                .isEqualTo("handshake-timeout: closed a connection that sent no complete request in time "
                        + "(from /127.0.0.1:6000 after PT10S); 4 more not logged");
    }

    private static LogRecord record(String logger, String message, Throwable thrown) {
        LogRecord record = new LogRecord(Level.WARNING, message);
        record.setLoggerName(logger);
        record.setThrown(thrown);
        return record;
    }
}
