package io.dino.gateway.edge.http;

import io.helidon.common.buffers.DataReader;

import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What the node logs about clients that break off or never speak HTTP: one line per event on this class's logger,
 * at most {@link #LINES_PER_WINDOW} lines per {@link #WINDOW} of each {@link Kind}; the next line that is written
 * says how many were left out. Events beyond that are only counted.
 *
 * <p>Helidon 4.5 logs a client that closes its connection before or in the middle of its request head as a WARNING
 * with a stack trace ({@code ConnectionHandler}: "unexpected exception", {@code Http1Connection}: "Internal server
 * error", both caused by {@link DataReader.InsufficientDataAvailableException}). As a {@link Filter} on those two
 * loggers this class drops such records and writes its own line instead; every other record passes unchanged, so
 * a real server error keeps its stack trace.
 *
 * <p>JUL loggers exist once per JVM, and so does the filter: {@link #install()} puts it on Helidon's loggers the
 * first time and returns the same instance afterwards; nodes sharing a JVM (tests) share it. It is set in code at
 * node start, so a user's logging.properties cannot take it away (levels set there still apply).
 */
public final class BrokenClientLog implements Filter {

    /** Most lines of one kind per {@link #WINDOW}. */
    public static final int LINES_PER_WINDOW = 5;
    public static final Duration WINDOW = Duration.ofMinutes(1);
    /** The Helidon loggers whose records about broken clients are turned into lines of this class. */
    static final Set<String> HELIDON_LOGGERS = Set.of("io.helidon.webserver.ConnectionHandler",
            "io.helidon.webserver.http1.Http1Connection");

    private static final ReentrantLock INSTALL_LOCK = new ReentrantLock();
    /** Guarded by INSTALL_LOCK. */
    private static BrokenClientLog installed;
    /** Strong references: JUL holds loggers weakly, and a collected logger would lose its filter. Guarded by INSTALL_LOCK. */
    private static final List<Logger> FILTERED = new ArrayList<>();

    /** What went wrong, as the first word of the line. */
    public enum Kind {
        CLOSED_EARLY("closed-early", "a client closed its connection before it completed a request"),
        CONNECTION_ERROR("connection-error", "a client connection failed before it completed a request"),
        HANDSHAKE_TIMEOUT("handshake-timeout", "closed a connection that sent no complete request in time");

        private final String label;
        private final String description;

        Kind(String label, String description) {
            this.label = label;
            this.description = description;
        }

        public String label() {
            return label;
        }
    }

    private final Logger out;
    private final InstantSource clock;
    private final int linesPerWindow;
    private final Duration window;
    private final Map<Kind, Budget> budgets = new EnumMap<>(Kind.class);

    /** A log writing to {@code out}; the node's is {@link #install()}'s. */
    BrokenClientLog(Logger out, InstantSource clock, int linesPerWindow, Duration window) {
        this.out = out;
        this.clock = clock;
        this.linesPerWindow = linesPerWindow;
        this.window = window;
        for (Kind kind : Kind.values()) {
            budgets.put(kind, new Budget());
        }
    }

    /** The JVM's log of broken clients, installed on Helidon's loggers on the first call. */
    public static BrokenClientLog install() {
        INSTALL_LOCK.lock();
        try {
            if (installed == null) {
                BrokenClientLog log = new BrokenClientLog(Logger.getLogger(BrokenClientLog.class.getName()),
                        InstantSource.system(), LINES_PER_WINDOW, WINDOW);
                for (String name : HELIDON_LOGGERS) {
                    Logger logger = Logger.getLogger(name);
                    Filter previous = logger.getFilter();
                    logger.setFilter(previous == null ? log
                            : record -> log.isLoggable(record) && previous.isLoggable(record));
                    FILTERED.add(logger);
                }
                installed = log;
            }
            return installed;
        } finally {
            INSTALL_LOCK.unlock();
        }
    }

    /** False for a record about a broken client (a line of this class's is written instead, unless over budget). */
    @Override
    public boolean isLoggable(LogRecord record) {
        Kind kind = kindOf(record);
        if (kind == null) {
            return true;
        }
        Throwable cause = rootCause(record.getThrown());
        report(kind, record.getMessage() + ": " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : " " + cause.getMessage()));
        return false;
    }

    /** The handshake timeout closed a connection from {@code remote}. */
    public void handshakeTimedOut(SocketAddress remote, Duration timeout) {
        report(Kind.HANDSHAKE_TIMEOUT, "from " + remote + " after " + timeout);
    }

    private void report(Kind kind, String detail) {
        long suppressed = budgets.get(kind).take(clock.instant());
        if (suppressed < 0) {
            return;
        }
        out.log(Level.INFO, kind.label + ": " + kind.description + " (" + detail + ")"
                + (suppressed == 0 ? "" : "; " + suppressed + " more not logged"));
    }

    private static Kind kindOf(LogRecord record) {
        if (record.getThrown() == null || record.getLevel().intValue() < Level.WARNING.intValue()
                || !HELIDON_LOGGERS.contains(record.getLoggerName())) {
            return null;
        }
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
            if (t instanceof DataReader.InsufficientDataAvailableException) {
                return Kind.CLOSED_EARLY;
            }
            if (t instanceof IOException && isNetwork(t)) {
                return Kind.CONNECTION_ERROR;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** java.net (resets, timeouts), java.nio.channels (closed channels) and javax.net.ssl exceptions. */
    private static boolean isNetwork(Throwable t) {
        String name = t.getClass().getName();
        return name.startsWith("java.net.") || name.startsWith("java.nio.channels.") || name.startsWith("javax.net.ssl.");
    }

    private static Throwable rootCause(Throwable thrown) {
        Throwable cause = thrown;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The lines one kind may still write in the current window. */
    private final class Budget {
        private final ReentrantLock lock = new ReentrantLock();
        private Instant windowStart = Instant.MIN;   // guarded by lock
        private int written;                         // guarded by lock
        private long suppressed;                     // guarded by lock

        /** Lines left out before this one when it may be written, or -1 when it is left out too. */
        long take(Instant now) {
            lock.lock();
            try {
                if (windowStart == Instant.MIN || !now.isBefore(windowStart.plus(window))) {
                    windowStart = now;
                    written = 0;
                }
                if (written >= linesPerWindow) {
                    suppressed++;
                    return -1;
                }
                written++;
                long before = suppressed;
                suppressed = 0;
                return before;
            } finally {
                lock.unlock();
            }
        }
    }
}
