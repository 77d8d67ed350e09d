package io.dino.gateway.e2e;

import io.dino.gateway.TestNode;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Reads one of a node's meters from /observe/metrics, as Prometheus sees it. */
final class NodeMetrics {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private NodeMetrics() {
    }

    /** The value of {@code meter} for this node on the line that also has every one of {@code labels} (e.g. {@code code="X"}); 0 when absent. */
    static double value(TestNode node, String meter, String... labels) throws IOException, InterruptedException {
        String body = HTTP.send(HttpRequest.newBuilder(node.httpUri("/observe/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String nodeTag = "node=\"" + node.node().nodeId() + "\"";
        return body.lines()
                .filter(line -> line.startsWith(meter + "{") && line.contains(nodeTag)
                        && java.util.Arrays.stream(labels).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElse(0);
    }
}
