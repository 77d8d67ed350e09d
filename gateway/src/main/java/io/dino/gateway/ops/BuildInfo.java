package io.dino.gateway.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * What this build is: the version, git commit and build time Maven wrote into {@code dino-build.properties}
 * (gateway/src/main/build-info), and the Java version running it. A value Maven could not fill in (no git at
 * build time, sources run without Maven) is {@code unknown}.
 */
public record BuildInfo(String version, String commit, String buildTime, String java) {

    private static final String UNKNOWN = "unknown";

    /** The build info of the running jar. */
    public static BuildInfo current() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/dino-build.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BuildInfo(value(properties, "version"), value(properties, "commit"), value(properties, "time"),
                Runtime.version().toString());
    }

    private static String value(Properties properties, String key) {
        String value = properties.getProperty(key, "").strip();
        return value.isEmpty() || value.contains("${") ? UNKNOWN : value;
    }

    /** The fields of {@code /observe/info}, with the node's engine and id. */
    public Map<String, String> describe(String engine, String node) {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("version", version);
        info.put("commit", commit);
        info.put("buildTime", buildTime);
        info.put("java", java);
        info.put("engine", engine);
        info.put("node", node);
        return info;
    }

    /** For the banner: {@code 0.1.0 (commit 1a2b3c4, built 2026-11-30T09:00:00Z, Java 25.0.1)}. */
    public String line() {
        return version + " (commit " + commit + ", built " + buildTime + ", Java " + java + ")";
    }
}
