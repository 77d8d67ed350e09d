package io.dino.gateway.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On JDK 21 (which the build allows) a virtual thread that blocks inside a {@code synchronized} block pins
 * its carrier thread; a few such waits on Redis stall every session of the node. The packages that run on
 * virtual threads and wait on the engine or the network therefore use {@code ReentrantLock}s only. The test
 * JDK (25) no longer pins, so no run-time test could catch a regression: this reads the sources instead.
 */
class NoMonitorsAcrossIoTest {

    private static final Path MAIN = Path.of("src/main/java/io/dino/gateway");

    @Test
    void packagesThatWaitOnIoHoldNoMonitors() throws IOException {
        List<Path> checked;
        try (Stream<Path> files = Stream.of("core", "edge", "engine/redis").flatMap(NoMonitorsAcrossIoTest::javaFiles)) {
            checked = files.toList();
        }
        assertThat(checked).as("sources found").hasSizeGreaterThan(10);
        List<String> offenders = checked.stream()
                .filter(file -> read(file).matches("(?s).*\\bsynchronized\\b.*"))
                .map(Path::toString)
                .toList();
        assertThat(offenders).as("files using synchronized").isEmpty();
    }

    private static Stream<Path> javaFiles(String pkg) {
        try {
            return Files.walk(MAIN.resolve(pkg)).filter(file -> file.toString().endsWith(".java"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
