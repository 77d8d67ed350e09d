package io.dino.gateway.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dino.api.v1.ListOnlineUsersRequest;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Grafana dashboard and the Prometheus alert rules in config/ (docs/operations.md, "Dashboards
 * and alerts"): well formed, and every metric they read is one a running node exports.
 */
class DashboardAndAlertsTest {

    static final Path DASHBOARD = Path.of("..", "config", "grafana", "dino-dashboard.json");
    static final Path RULES = Path.of("..", "config", "prometheus", "dino-alerts.yml");
    static final String DATASOURCE = "${DS_PROMETHEUS}";
    private static final Pattern SAMPLE = Pattern.compile("(?m)^([A-Za-z_:][A-Za-z0-9_:]*)[{ ]");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([A-Za-z_:][A-Za-z0-9_:]*)");
    private static final Pattern TEMPLATE_LABEL = Pattern.compile("\\$labels\\.(\\w+)");
    private static final Pattern AGGREGATION = Pattern.compile("\\b(?:sum|avg|min|max|count|topk|bottomk|quantile)\\b");

    @Test
    void theTokenizerFindsMetricNamesAndNothingElse() {
        assertThat(PromQlNames.of("histogram_quantile(0.99, sum by (instance, le) "
                + "(rate(dino_publish_latency_seconds_bucket{code=~\"a|b\",instance=~\"$instance\"}[$__rate_interval])))"))
                .containsExactly("dino_publish_latency_seconds_bucket");
        assertThat(PromQlNames.of("sum(dino_connections) == 0 and sum(dino_connections offset 1h) > 0"))
                .containsExactly("dino_connections");
        assertThat(PromQlNames.of("memory_usedHeap_bytes / on (instance) group_left memory_maxHeap_bytes > 0.9e0"))
                .containsExactly("memory_maxHeap_bytes", "memory_usedHeap_bytes");
        assertThat(PromQlNames.of("sum without (kind) (rate(x_total[5m:1m])) / bool 2")).containsExactly("x_total");
    }

    @Test
    void theDashboardIsAGrafanaDashboardWithQueriesOnEveryPanel() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertThat(dashboard.path("title").asText()).isNotBlank();
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);  // Grafana 10 and 11
        assertThat(dashboard.path("__inputs")).anySatisfy(input -> {
            assertThat(input.path("name").asText()).isEqualTo("DS_PROMETHEUS");
            assertThat(input.path("type").asText()).isEqualTo("datasource");
            assertThat(input.path("pluginId").asText()).isEqualTo("prometheus");
        });

        Set<Integer> ids = new HashSet<>();
        List<int[]> areas = new ArrayList<>();
        List<JsonNode> panels = panels(dashboard);
        assertThat(panels).hasSizeGreaterThan(10);
        for (JsonNode panel : panels) {
            String title = panel.path("title").asText();
            assertThat(title).as("panel title").isNotBlank();
            assertThat(ids.add(panel.path("id").asInt(-1))).as("unique id of panel %s", title).isTrue();
            JsonNode grid = panel.path("gridPos");
            int[] area = {grid.path("x").asInt(), grid.path("y").asInt(), grid.path("w").asInt(), grid.path("h").asInt()};
            assertThat(area[2]).as("width of %s", title).isPositive();
            assertThat(area[0] + area[2]).as("right edge of %s", title).isLessThanOrEqualTo(24);
            assertThat(area[3]).as("height of %s", title).isPositive();
            for (int[] other : areas) {
                boolean overlap = area[0] < other[0] + other[2] && other[0] < area[0] + area[2]
                        && area[1] < other[1] + other[3] && other[1] < area[1] + area[3];
                assertThat(overlap).as("panel %s overlaps another", title).isFalse();
            }
            areas.add(area);
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asText()).as("datasource of %s", title).isEqualTo(DATASOURCE);
            JsonNode targets = panel.path("targets");
            assertThat(targets.size()).as("targets of %s", title).isPositive();
            Set<String> refIds = new HashSet<>();
            for (JsonNode target : targets) {
                assertThat(refIds.add(target.path("refId").asText())).as("unique refId in %s", title).isTrue();
                assertThat(target.path("expr").asText()).as("query in %s", title).isNotBlank();
                assertThat(PromQlNames.of(target.path("expr").asText())).as("metrics of %s", title).isNotEmpty();
            }
        }
    }

    @Test
    void theRulesAreAlertingRulesWithSeverityAndExplanations() throws IOException {
        Set<String> alerts = new HashSet<>();
        for (Map<String, Object> rule : rules()) {
            String alert = (String) rule.get("alert");
            assertThat(alert).as("alert name").isNotBlank().matches("[A-Za-z][A-Za-z0-9_]*");
            assertThat(alerts.add(alert)).as("unique alert %s", alert).isTrue();
            String expr = String.valueOf(rule.get("expr"));
            assertThat(PromQlNames.of(expr)).as("metrics of %s", alert).isNotEmpty();
            assertThat(String.valueOf(rule.get("for"))).as("for of %s", alert).matches("\\d+[smhd]");
            assertThat(map(rule.get("labels")).get("severity")).as("severity of %s", alert).isIn("critical", "warning", "info");
            Map<String, Object> annotations = map(rule.get("annotations"));
            assertThat(annotations.get("summary")).as("summary of %s", alert).isInstanceOf(String.class);
            assertThat(annotations.get("description")).as("description of %s", alert).isInstanceOf(String.class);
            // a label the summary names must survive the expression's aggregation
            Matcher label = TEMPLATE_LABEL.matcher(annotations.values().toString());
            while (label.find()) {
                if (AGGREGATION.matcher(expr).find()) {
                    assertThat(expr).as("%s aggregates away %s", alert, label.group(1))
                            .containsPattern("\\bby \\([^)]*\\b" + label.group(1) + "\\b");
                }
            }
        }
        assertThat(alerts).hasSizeGreaterThan(8);
    }

    @Test
    void everyMetricTheDashboardAndTheRulesReadIsExportedByANode() throws Exception {
        Map<String, String> used = new TreeMap<>();  // metric -> where
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                PromQlNames.of(target.path("expr").asText()).forEach(name -> used.putIfAbsent(name, "panel " + panel.path("title")));
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            Matcher metric = LABEL_VALUES.matcher(variable.path("definition").asText() + variable.path("query"));
            while (metric.find()) {
                used.putIfAbsent(metric.group(1), "variable " + variable.path("name"));
            }
        }
        for (Map<String, Object> rule : rules()) {
            PromQlNames.of(String.valueOf(rule.get("expr"))).forEach(name -> used.putIfAbsent(name, "alert " + rule.get("alert")));
        }
        assertThat(used).containsKeys("dino_connections", "dino_publish_latency_seconds_bucket", "memory_usedHeap_bytes");

        try (TestNode node = TestNode.start()) {
            // meters made at first use: a command in, frames out, a publish, a backend call
            EventRecorder events = new EventRecorder();
            DinoClient client = node.client("watched", events);
            client.join("dashboard-room").join();
            client.send("dashboard-room", "hello").join();
            events.await("message", TestNode.TIMEOUT);
            node.backend().listOnlineUsers(ListOnlineUsersRequest.getDefaultInstance());

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Set<String> exported = exported(node);
                Map<String, String> missing = new TreeMap<>(used);
                missing.keySet().removeAll(exported);
                assertThat(missing).as("metrics used by the dashboard or the alert rules but not exported").isEmpty();
            });
        }
    }

    /** Every panel, those nested in collapsed rows too. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    static List<Map<String, Object>> rules() throws IOException {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(RULES));
        List<Map<String, Object>> rules = new ArrayList<>();
        Set<String> groups = new HashSet<>();
        Object groupList = map(root).get("groups");
        assertThat(groupList).as("groups").isInstanceOf(List.class);
        for (Object entry : (List<?>) groupList) {
            Map<String, Object> group = map(entry);
            assertThat(groups.add(String.valueOf(group.get("name")))).as("unique group %s", group.get("name")).isTrue();
            assertThat(group.get("rules")).as("rules of %s", group.get("name")).isInstanceOf(List.class);
            for (Object rule : (List<?>) group.get("rules")) {
                rules.add(map(rule));
            }
        }
        return rules;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private static Set<String> exported(TestNode node) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(node.httpUri("/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            Set<String> names = new TreeSet<>();
            Matcher sample = SAMPLE.matcher(response.body());
            while (sample.find()) {
                names.add(sample.group(1));
            }
            return names;
        }
    }
}
