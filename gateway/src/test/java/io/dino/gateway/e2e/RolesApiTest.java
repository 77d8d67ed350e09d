package io.dino.gateway.e2e;

import io.dino.api.v1.GrantRoleRequest;
import io.dino.api.v1.ListRoleHoldersRequest;
import io.dino.api.v1.ListUserRolesRequest;
import io.dino.api.v1.ListUserRolesResponse;
import io.dino.api.v1.RevokeRoleRequest;
import io.dino.api.v1.RoleGrant;
import io.dino.api.v1.RoleHolder;
import io.dino.api.v1.RoleScope;
import io.dino.api.v1.RolesGrpc;
import io.dino.api.v1.UserRoles;
import io.dino.gateway.TestNode;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Roles service through a real node's gRPC port. */
class RolesApiTest {

    private static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static RolesGrpc.RolesBlockingStub roles(TestNode node, String apiKey) {
        Metadata headers = new Metadata();
        if (apiKey != null) {
            headers.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), apiKey);
        }
        return RolesGrpc.newBlockingStub(node.channel())
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private static RolesGrpc.RolesBlockingStub roles() {
        return roles(node, TestNode.API_KEY);
    }

    @Test
    void grantedRolesAreListedByUserAndByScopeUntilRevoked() {
        assertThat(roles().grantRole(GrantRoleRequest.newBuilder().setUser("ann").setRoom("r-grant").setRole("owner").build())
                .getChanged()).isTrue();
        assertThat(roles().grantRole(GrantRoleRequest.newBuilder().setUser("ann").setRoom("r-grant").setRole("owner").build())
                .getChanged()).isFalse();
        roles().grantRole(GrantRoleRequest.newBuilder().setUser("ann").setRoom("r-grant").setRole("moderator").build());
        roles().grantRole(GrantRoleRequest.newBuilder().setUser("ann").setChannel("c-grant").setRole("admin").build());
        roles().grantRole(GrantRoleRequest.newBuilder().setUser("ben").setRoom("r-grant").setRole("moderator").build());

        ListUserRolesResponse listed = roles().listUserRoles(ListUserRolesRequest.newBuilder()
                .addUsers("ben").addUsers("nobody").addUsers("ann").addUsers("ben").build());
        assertThat(listed.getUsersList()).extracting(UserRoles::getUser).containsExactly("ben", "nobody", "ann");
        assertThat(listed.getUsers(1).getGrantsList()).isEmpty();
        assertThat(listed.getUsers(2).getGrantsList()).containsExactly(
                grant(RoleScope.ROLE_SCOPE_CHANNEL, "c-grant", "admin"),
                grant(RoleScope.ROLE_SCOPE_ROOM, "r-grant", "moderator"),
                grant(RoleScope.ROLE_SCOPE_ROOM, "r-grant", "owner"));
        assertThat(roles().listRoleHolders(ListRoleHoldersRequest.newBuilder().setRoom("r-grant").build()).getHoldersList())
                .containsExactly(
                        RoleHolder.newBuilder().setUser("ann").addRoles("moderator").addRoles("owner").build(),
                        RoleHolder.newBuilder().setUser("ben").addRoles("moderator").build());
        assertThat(roles().listRoleHolders(ListRoleHoldersRequest.newBuilder().setChannel("c-grant").build()).getHoldersList())
                .containsExactly(RoleHolder.newBuilder().setUser("ann").addRoles("admin").build());

        assertThat(roles().revokeRole(RevokeRoleRequest.newBuilder().setUser("ann").setRoom("r-grant").setRole("owner").build())
                .getChanged()).isTrue();
        assertThat(roles().revokeRole(RevokeRoleRequest.newBuilder().setUser("ann").setRoom("r-grant").setRole("owner").build())
                .getChanged()).isFalse();
        assertThat(roles().listUserRoles(ListUserRolesRequest.newBuilder().addUsers("ann").build()).getUsers(0).getGrantsList())
                .containsExactly(grant(RoleScope.ROLE_SCOPE_CHANNEL, "c-grant", "admin"),
                        grant(RoleScope.ROLE_SCOPE_ROOM, "r-grant", "moderator"));
    }

    @Test
    void aRoleTheScopeDoesNotHaveIsRefusedWithTheRolesItHas() {
        expectInvalid(() -> roles().grantRole(GrantRoleRequest.newBuilder().setUser("ann").setRoom("r").setRole("admin").build()),
                "role of a room must be one of owner, moderator (got 'admin')");
        expectInvalid(() -> roles().revokeRole(RevokeRoleRequest.newBuilder().setUser("ann").setChannel("c").setRole("moderator").build()),
                "role of a channel must be one of owner, admin (got 'moderator')");
        expectInvalid(() -> roles().grantRole(GrantRoleRequest.newBuilder().setUser("ann").setRoom("r").build()),
                "role of a room must be one of owner, moderator (got '')");
    }

    @Test
    void aMissingScopeOrAnInvalidIdOrUserIsRefused() {
        expectInvalid(() -> roles().grantRole(GrantRoleRequest.newBuilder().setUser("ann").setRole("owner").build()),
                "scope must be set: a channel or a room");
        expectInvalid(() -> roles().listRoleHolders(ListRoleHoldersRequest.getDefaultInstance()),
                "scope must be set: a channel or a room");
        expectInvalid(() -> roles().grantRole(GrantRoleRequest.newBuilder().setUser("ann").setChannel("bad id").setRole("owner").build()),
                "channel may contain only letters, digits and . _ : - (got ' ')");
        expectInvalid(() -> roles().grantRole(GrantRoleRequest.newBuilder().setUser("").setRoom("r").setRole("owner").build()),
                "user id must be 1-128 characters without control characters");
        expectInvalid(() -> roles().listUserRoles(ListUserRolesRequest.getDefaultInstance()), "users must name 1-100 users");
        expectInvalid(() -> roles().listUserRoles(ListUserRolesRequest.newBuilder()
                .addAllUsers(Collections.nCopies(101, "u")).build()), "users must name 1-100 users");
    }

    @Test
    void callsWithoutTheApiKeyAreRefused() {
        assertThatThrownBy(() -> roles(node, null).listRoleHolders(ListRoleHoldersRequest.newBuilder().setRoom("r").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThatThrownBy(() -> roles(node, "wrong").grantRole(GrantRoleRequest.newBuilder().setUser("eve").setRoom("r")
                .setRole("owner").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThat(roles().listUserRoles(ListUserRolesRequest.newBuilder().addUsers("eve").build()).getUsers(0).getGrantsList())
                .isEmpty();
    }

    private static RoleGrant grant(RoleScope scope, String id, String role) {
        return RoleGrant.newBuilder().setScope(scope).setId(id).setRole(role).build();
    }

    private static void expectInvalid(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).isEqualTo(message);
            assertThat(e.getTrailers().get(Metadata.Key.of("dino-error", Metadata.ASCII_STRING_MARSHALLER)))
                    .isEqualTo("INVALID_VALUE");
        });
    }
}
