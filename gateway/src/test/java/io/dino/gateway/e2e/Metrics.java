package io.dino.gateway.e2e;

import io.dino.gateway.TestNode;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads a node's Prometheus metrics. */
final class Metrics {

    private static final Pattern CONNECTIONS = Pattern.compile("(?m)^dino_connections\\{[^}]*} ([0-9.]+)$");

    private Metrics() {
    }

    static String scrape(TestNode node) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(node.httpUri("/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        }
    }

    /** The open WebSocket connections the node counts ({@code dino_connections}). */
    static int connections(TestNode node) throws IOException, InterruptedException {
        Matcher gauge = CONNECTIONS.matcher(scrape(node));
        assertThat(gauge.find()).as("dino_connections in the metrics").isTrue();
        return (int) Double.parseDouble(gauge.group(1));
    }
}
