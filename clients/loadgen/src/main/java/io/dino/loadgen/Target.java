package io.dino.loadgen;

import java.net.URI;
import java.util.Set;

/** Where the node under test is, and how to call its backend API: options every workload shares. */
record Target(URI url, String grpc, String apiKey) {

    static final Set<String> OPTIONS = Set.of("url", "grpc", "api-key");

    static final String USAGE = """
              --url URL          WebSocket endpoint (default ws://127.0.0.1:8080/ws)
              --grpc HOST:PORT   backend gRPC endpoint, used to mint tokens (default 127.0.0.1:8081)
              --api-key KEY      backend API key (default: environment variable DINO_API_KEY)
            """;

    static Target from(Options options) {
        return new Target(
                options.uri("url", "ws://127.0.0.1:8080/ws", Set.of("ws", "wss")),
                options.string("grpc", "127.0.0.1:8081"),
                options.required("api-key", "DINO_API_KEY"));
    }
}
