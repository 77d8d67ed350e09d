package io.dino.gateway.ops;

import io.dino.gateway.config.GatewayConfig;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * A node process's logging: JSON lines (the default, for production) or text lines ({@code dino.log.format}),
 * and no line lost at exit ({@link DinoLogManager}).
 */
public final class Logs {

    private static final String MANAGER_PROPERTY = "java.util.logging.manager";

    private Logs() {
    }

    /** Call first in main, before anything logs: installs {@link DinoLogManager}. */
    public static void install() {
        if (System.getProperty(MANAGER_PROPERTY) == null) {
            System.setProperty(MANAGER_PROPERTY, DinoLogManager.class.getName());
        }
    }

    /**
     * Call once logging is configured (reading a configuration resets the handlers): from now on only
     * {@link #close()} closes them, not the JDK's shutdown hook.
     */
    public static void holdUntilClosed() {
        if (LogManager.getLogManager() instanceof DinoLogManager manager) {
            manager.hold();
        }
    }

    /** With {@code TEXT}, the root logger's console handlers write text lines; JSON is logging.properties'. */
    public static void apply(GatewayConfig.LogFormat format) {
        if (format == GatewayConfig.LogFormat.TEXT) {
            for (Handler handler : Logger.getLogger("").getHandlers()) {
                if (handler instanceof ConsoleHandler) {
                    handler.setFormatter(new TextLogFormatter());
                }
            }
        }
    }

    /** The last thing a stopping node does: flushes and closes the log handlers. */
    public static void close() {
        if (LogManager.getLogManager() instanceof DinoLogManager manager) {
            manager.release();
        } else {
            for (Handler handler : Logger.getLogger("").getHandlers()) {
                handler.flush();
            }
        }
    }
}
