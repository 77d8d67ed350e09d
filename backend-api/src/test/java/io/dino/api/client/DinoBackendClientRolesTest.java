package io.dino.api.client;

import io.dino.api.v1.GrantRoleRequest;
import io.dino.api.v1.GrantRoleResponse;
import io.dino.api.v1.ListRoleHoldersRequest;
import io.dino.api.v1.ListRoleHoldersResponse;
import io.dino.api.v1.ListUserRolesRequest;
import io.dino.api.v1.ListUserRolesResponse;
import io.dino.api.v1.RevokeRoleRequest;
import io.dino.api.v1.RevokeRoleResponse;
import io.dino.api.v1.RoleGrant;
import io.dino.api.v1.RoleHolder;
import io.dino.api.v1.RoleScope;
import io.dino.api.v1.RolesGrpc;
import io.dino.api.v1.UserRoles;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The client's role methods: what they send (scope, API key), what they answer, and that they are retried. */
class DinoBackendClientRolesTest {

    private final List<Object> requests = new CopyOnWriteArrayList<>();
    private final List<String> apiKeys = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private Server server;

    @BeforeEach
    void startServer() throws Exception {
        RolesGrpc.RolesImplBase fake = new RolesGrpc.RolesImplBase() {
            @Override
            public void grantRole(GrantRoleRequest request, StreamObserver<GrantRoleResponse> response) {
                requests.add(request);
                if (failuresLeft.getAndDecrement() > 0) {
                    response.onError(Status.UNAVAILABLE.withDescription("store down").asRuntimeException());
                    return;
                }
                response.onNext(GrantRoleResponse.newBuilder().setChanged(true).build());
                response.onCompleted();
            }

            @Override
            public void revokeRole(RevokeRoleRequest request, StreamObserver<RevokeRoleResponse> response) {
                requests.add(request);
                response.onNext(RevokeRoleResponse.newBuilder().setChanged(false).build());
                response.onCompleted();
            }

            @Override
            public void listUserRoles(ListUserRolesRequest request, StreamObserver<ListUserRolesResponse> response) {
                requests.add(request);
                response.onNext(ListUserRolesResponse.newBuilder()
                        .addUsers(UserRoles.newBuilder().setUser("bo"))
                        .addUsers(UserRoles.newBuilder().setUser("al").addGrants(RoleGrant.newBuilder()
                                .setScope(RoleScope.ROLE_SCOPE_ROOM).setId("lobby").setRole("owner")))
                        .build());
                response.onCompleted();
            }

            @Override
            public void listRoleHolders(ListRoleHoldersRequest request, StreamObserver<ListRoleHoldersResponse> response) {
                requests.add(request);
                response.onNext(ListRoleHoldersResponse.newBuilder()
                        .addHolders(RoleHolder.newBuilder().setUser("al").addRoles("admin").addRoles("owner"))
                        .build());
                response.onCompleted();
            }
        };
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(fake, new io.grpc.ServerInterceptor() {
                    @Override
                    public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call, Metadata headers,
                                                                              io.grpc.ServerCallHandler<Q, R> next) {
                        apiKeys.add(headers.get(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER)));
                        return next.startCall(call, headers);
                    }
                }))
                .build()
                .start();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void roleCallsNameTheScopeSendTheApiKeyAndAnswerInOrder() {
        try (DinoBackendClient dino = client(3)) {
            assertThat(dino.revokeRole(RoleScope.ROLE_SCOPE_CHANNEL, "games", "al", "admin")).isFalse();
            assertThat(dino.userRoles(List.of("bo", "al"))).containsExactly(
                    Map.entry("bo", List.of()),
                    Map.entry("al", List.of(RoleGrant.newBuilder().setScope(RoleScope.ROLE_SCOPE_ROOM).setId("lobby")
                            .setRole("owner").build())));
            assertThat(dino.roleHolders(RoleScope.ROLE_SCOPE_ROOM, "lobby")).isEqualTo(Map.of("al", List.of("admin", "owner")));
        }
        assertThat(requests).containsExactly(
                RevokeRoleRequest.newBuilder().setUser("al").setChannel("games").setRole("admin").build(),
                ListUserRolesRequest.newBuilder().addUsers("bo").addUsers("al").build(),
                ListRoleHoldersRequest.newBuilder().setRoom("lobby").build());
        assertThat(apiKeys).containsOnly("secret-key");
    }

    @Test
    void anUnavailableGrantIsRetried() {
        failuresLeft.set(2);
        try (DinoBackendClient dino = client(3)) {
            assertThat(dino.grantRole(RoleScope.ROLE_SCOPE_ROOM, "lobby", "al", "owner")).isTrue();
        }
        assertThat(requests).hasSize(3).containsOnly(
                GrantRoleRequest.newBuilder().setUser("al").setRoom("lobby").setRole("owner").build());
    }

    private DinoBackendClient client(int attempts) {
        return DinoBackendClient.builder("127.0.0.1", server.getPort()).apiKey("secret-key").maxAttempts(attempts).build();
    }
}
