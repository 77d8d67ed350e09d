package io.dino.gateway.edge.grpc;

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
import io.dino.gateway.core.DinoException;
import io.dino.gateway.core.ErrorCode;
import io.dino.gateway.core.RoleOperations;
import io.dino.gateway.engine.Roles;
import io.dino.gateway.engine.Roles.Scope;
import io.dino.gateway.ops.GatewayMetrics;
import io.grpc.stub.StreamObserver;

import java.util.function.Supplier;

/** The {@code dino.v1.Roles} service: stored roles as the backend manages them, each call one core operation. */
public final class RolesService extends RolesGrpc.RolesImplBase {

    private final RoleOperations roles;
    private final Responses responses;

    public RolesService(RoleOperations roles, GatewayMetrics metrics) {
        this.roles = roles;
        this.responses = new Responses(metrics, RolesService.class);
    }

    @Override
    public void grantRole(GrantRoleRequest request, StreamObserver<GrantRoleResponse> response) {
        respond(response, () -> GrantRoleResponse.newBuilder()
                .setChanged(roles.grant(scope(request.getScopeCase() == GrantRoleRequest.ScopeCase.CHANNEL,
                        request.getScopeCase() == GrantRoleRequest.ScopeCase.ROOM, request.getChannel(), request.getRoom()),
                        request.getUser(), request.getRole()))
                .build());
    }

    @Override
    public void revokeRole(RevokeRoleRequest request, StreamObserver<RevokeRoleResponse> response) {
        respond(response, () -> RevokeRoleResponse.newBuilder()
                .setChanged(roles.revoke(scope(request.getScopeCase() == RevokeRoleRequest.ScopeCase.CHANNEL,
                        request.getScopeCase() == RevokeRoleRequest.ScopeCase.ROOM, request.getChannel(), request.getRoom()),
                        request.getUser(), request.getRole()))
                .build());
    }

    @Override
    public void listUserRoles(ListUserRolesRequest request, StreamObserver<ListUserRolesResponse> response) {
        respond(response, () -> {
            ListUserRolesResponse.Builder result = ListUserRolesResponse.newBuilder();
            roles.grantsOf(request.getUsersList()).forEach((user, grants) -> result.addUsers(UserRoles.newBuilder()
                    .setUser(user)
                    .addAllGrants(grants.stream().map(RolesService::wire).toList())));
            return result.build();
        });
    }

    @Override
    public void listRoleHolders(ListRoleHoldersRequest request, StreamObserver<ListRoleHoldersResponse> response) {
        respond(response, () -> {
            Scope scope = scope(request.getScopeCase() == ListRoleHoldersRequest.ScopeCase.CHANNEL,
                    request.getScopeCase() == ListRoleHoldersRequest.ScopeCase.ROOM, request.getChannel(), request.getRoom());
            ListRoleHoldersResponse.Builder result = ListRoleHoldersResponse.newBuilder();
            roles.holders(scope).forEach((user, held) -> result.addHolders(RoleHolder.newBuilder()
                    .setUser(user)
                    .addAllRoles(held.stream().sorted().toList())));
            return result.build();
        });
    }

    /** The request's {@code scope} oneof (each request type has its own case enum, hence the flags). */
    private static Scope scope(boolean channel, boolean room, String channelId, String roomId) {
        if (channel) {
            return Scope.channel(channelId);
        }
        if (room) {
            return Scope.room(roomId);
        }
        throw new DinoException(ErrorCode.INVALID_VALUE, "scope must be set: a channel or a room");
    }

    private static RoleGrant wire(Roles.Grant grant) {
        return RoleGrant.newBuilder()
                .setScope(grant.scope().kind() == Roles.ScopeKind.ROOM ? RoleScope.ROLE_SCOPE_ROOM : RoleScope.ROLE_SCOPE_CHANNEL)
                .setId(grant.scope().id())
                .setRole(grant.role())
                .build();
    }

    private <T> void respond(StreamObserver<T> response, Supplier<T> call) {
        responses.respond(response, call);
    }
}
