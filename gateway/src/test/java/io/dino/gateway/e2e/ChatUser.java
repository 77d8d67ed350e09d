package io.dino.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dino.client.DinoClient;
import io.dino.client.EventRecorder;
import io.dino.gateway.TestNode;

import java.util.List;
import java.util.stream.StreamSupport;

import static io.dino.gateway.TestNode.TIMEOUT;

/** A connected client with the events it receives, and the steps the end-to-end tests take with one. */
record ChatUser(DinoClient client, EventRecorder events) {

    /** A client of {@code name}, connected to {@code node}. */
    static ChatUser user(TestNode node, String name) {
        EventRecorder events = new EventRecorder();
        return new ChatUser(node.client(name, events), events);
    }

    /** A client of {@code name} with the operator role, connected to {@code node}. */
    static ChatUser operator(TestNode node, String name) {
        EventRecorder events = new EventRecorder();
        return new ChatUser(node.operatorClient(name, events), events);
    }

    /** The user after it joined {@code room}. */
    static ChatUser in(String room, ChatUser user) {
        user.client().join(room).join();
        return user;
    }

    /** The members of {@code room} as {@code viewer} lists them. */
    static List<String> members(ChatUser viewer, String room) {
        return StreamSupport.stream(viewer.client().members(room).join().get("members").spliterator(), false)
                .map(JsonNode::asText).toList();
    }

    /** The first event of {@code type} about {@code user} that {@code who} received, waiting for it. */
    static JsonNode awaitEvent(ChatUser who, String type, String user) throws Exception {
        return who.events().await(event -> event.path("event").asText().equals(type) && event.path("user").asText().equals(user),
                TIMEOUT);
    }

    /** The private messages not yet acknowledged that came with the connect. */
    JsonNode unacked() {
        return client.connectResult().path("inbox").path("unacked");
    }
}
