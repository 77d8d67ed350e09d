package io.dino.loadgen;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.dino.api.v1.BackendGrpc;
import io.dino.api.v1.MintTokenRequest;
import io.dino.api.v1.MintTokenResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;

/** Mints client tokens through the node's backend gRPC API (MintToken), over one plaintext channel. */
final class Tokens implements AutoCloseable {

    private static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);
    private static final long DEADLINE_SECONDS = 10;
    // Enough calls in flight to keep one HTTP/2 connection busy without queueing thousands of streams.
    private static final int MAX_IN_FLIGHT = 64;

    /** Tokens in the order of the users asked for (null where minting failed), and why minting failed. */
    record Minted(List<String> tokens, Failures failures) {
    }

    private final ManagedChannel channel;
    private final BackendGrpc.BackendStub stub;
    private final Metadata headers = new Metadata();

    Tokens(String target, String apiKey) {
        this.channel = NettyChannelBuilder.forTarget(target).usePlaintext().build();
        headers.put(API_KEY, apiKey);
        this.stub = BackendGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** Gives a room access rules (SetRoomAcl), waiting for the answer. */
    void setRoomAcl(String room, java.util.Map<String, String> rules) {
        io.dino.api.v1.BackendGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .setRoomAcl(io.dino.api.v1.SetRoomAclRequest.newBuilder().setRoom(room).putAllRules(rules).build());
    }

    /** Mints a token with the node's default lifetime. */
    CompletableFuture<String> mint(String user) {
        CompletableFuture<String> token = new CompletableFuture<>();
        MintTokenRequest request = MintTokenRequest.newBuilder().setUser(user).build();
        stub.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).mintToken(request, new StreamObserver<>() {
            @Override
            public void onNext(MintTokenResponse response) {
                token.complete(response.getToken());
            }

            @Override
            public void onError(Throwable error) {
                token.completeExceptionally(error);
            }

            @Override
            public void onCompleted() {
                token.completeExceptionally(new IllegalStateException("MintToken returned no response"));
            }
        });
        return token;
    }

    /** Mints one token per user, a bounded number of calls at a time; failures are counted, not thrown. */
    Minted mintAll(List<String> users) throws InterruptedException {
        // Each call writes its own slot; releasing the semaphore publishes the write to the final acquire.
        String[] tokens = new String[users.size()];
        Failures failures = new Failures();
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        for (int i = 0; i < users.size(); i++) {
            int index = i;
            inFlight.acquire();
            mint(users.get(i)).whenComplete((token, error) -> {
                if (error != null) {
                    failures.add("mint", error);
                } else {
                    tokens[index] = token;
                }
                inFlight.release();
            });
        }
        inFlight.acquire(MAX_IN_FLIGHT); // all calls have completed
        return new Minted(Collections.unmodifiableList(Arrays.asList(tokens)), failures);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
    }
}
