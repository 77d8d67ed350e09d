package io.dino.loadgen;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** Progress lines on stderr, so stdout carries only the JSON report. */
final class Log {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private Log() {
    }

    static void info(String format, Object... args) {
        System.err.println(LocalTime.now().format(TIME) + " loadgen: " + String.format(format, args));
    }
}
