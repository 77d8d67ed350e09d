package io.dino.gateway.docs;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;
import io.dino.gateway.core.ErrorCode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/** The docs say what the code does: their examples run, and their reference tables are complete. */
class DocsTest {

    static final Path DOCS = Path.of("..", "docs");

    @Test
    void theJavaBackendExampleInTheDocsIsTheCompiledOneAndItWorks() throws Exception {
        String source = Files.readString(Path.of("src/test/java/io/dino/gateway/docs/BackendClientExample.java"));
        String example = source.substring(source.indexOf("// tag::example[]") + "// tag::example[]".length(),
                source.indexOf("// end::example[]")).stripTrailing();
        String docs = Files.readString(DOCS.resolve("grpc-api.md"));
        assertThat(normalize(docs)).contains(normalize(example));

        try (TestNode node = TestNode.start()) {
            EventRecorder events = new EventRecorder();
            node.client("bob", events);
            String token = BackendClientExample.run("127.0.0.1", node.port(), TestNode.API_KEY);

            DinoClient alice = DinoClient.connect(node.wsUri(), token).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(alice.connectResult().get("user").asText()).isEqualTo("alice");
            alice.close();
            JsonNode invoice = events.await("private", TIMEOUT);
            assertThat(invoice.at("/msg/body/amount").asInt()).isEqualTo(12);
        }
    }

    @Test
    void theProtocolDocumentListsEveryErrorCode() throws Exception {
        String protocol = Files.readString(DOCS.resolve("protocol.md"));
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(protocol).as("docs/protocol.md lists %s", code)
                    .containsPattern("\\|\\s*" + code.code() + "\\s*\\|\\s*`?" + code.name() + "`?\\s*\\|");
        }
    }

    @Test
    void theOperationsDocumentListsEveryMeter() throws Exception {
        String operations = Files.readString(DOCS.resolve("operations.md"));
        for (String meter : new String[] {"dino_connections", "dino_messages_in_total", "dino_messages_out_total",
                "dino_publish_latency_seconds", "dino_errors_total", "dino_grpc_calls_total"}) {
            assertThat(operations).as("docs/operations.md lists %s", meter).contains(meter);
        }
    }

    @Test
    void theConfigurationDocumentListsEveryKey() throws Exception {
        String configuration = Files.readString(DOCS.resolve("configuration.md"));
        String loader = Files.readString(Path.of("src/main/java/io/dino/gateway/config/ConfigLoader.java"));
        java.util.regex.Matcher keys = java.util.regex.Pattern.compile("get\\(\"([a-z-]+)\"\\)").matcher(loader);
        int found = 0;
        while (keys.find()) {
            found++;
            assertThat(configuration).as("docs/configuration.md documents %s", keys.group(1)).contains(keys.group(1));
        }
        assertThat(found).isGreaterThan(15);
    }

    private static String normalize(String code) {
        return code.lines().map(String::strip).filter(line -> !line.isEmpty()).reduce("", (a, b) -> a + "\n" + b);
    }
}
