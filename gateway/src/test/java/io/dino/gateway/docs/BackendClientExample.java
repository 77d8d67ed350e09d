package io.dino.gateway.docs;

import io.dino.api.client.DinoBackendClient;
import io.dino.api.v1.MintTokenResponse;
import io.dino.api.v1.PublishResponse;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The Java example of docs/grpc-api.md, verbatim between the tags; DocsTest runs it against a real node. */
final class BackendClientExample {

    private BackendClientExample() {
    }

    static String run(String host, int port, String apiKey) {
        // tag::example[]
        try (DinoBackendClient dino = DinoBackendClient.builder(host, port)
                .apiKey(apiKey)
                .deadline(Duration.ofSeconds(3))
                .build()) {
            // a token for a browser session
            MintTokenResponse token = dino.mintToken("alice", List.of("member"), Map.of("country", "de"), Duration.ofHours(1));

            // a message in a room (stored, then delivered); retried safely on UNAVAILABLE
            PublishResponse stored = dino.publishToRoom("lobby", "{\"text\":\"Welcome!\"}");
            System.out.printf("stored as %s at offset %d%n", stored.getMessageId(), stored.getPosition().getOffset());

            // a notification to every session of two users
            dino.publishToUsers(List.of("alice", "bob"), "{\"kind\":\"invoice\",\"amount\":12}");

            System.out.println("online now: " + dino.onlineUsers());
            return token.getToken();
        }
        // end::example[]
    }
}
