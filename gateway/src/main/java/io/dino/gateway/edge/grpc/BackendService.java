package io.dino.gateway.edge.grpc;

import io.dino.api.v1.BackendGrpc;
import io.dino.api.v1.BroadcastRequest;
import io.dino.api.v1.BroadcastResponse;
import io.dino.api.v1.DisconnectUserRequest;
import io.dino.api.v1.DisconnectUserResponse;
import io.dino.api.v1.GetLastOnlineRequest;
import io.dino.api.v1.GetLastOnlineResponse;
import io.dino.api.v1.GetPresenceRequest;
import io.dino.api.v1.GetUserStatusRequest;
import io.dino.api.v1.GetUserStatusResponse;
import io.dino.api.v1.PresenceStatus;
import io.dino.api.v1.SetUserStatusRequest;
import io.dino.api.v1.SetUserStatusResponse;
import io.dino.api.v1.UserLastOnline;
import io.dino.api.v1.UserStatusEntry;
import io.dino.api.v1.GetPresenceResponse;
import io.dino.api.v1.ListOnlineUsersRequest;
import io.dino.api.v1.ListOnlineUsersResponse;
import io.dino.api.v1.GetRoomAclRequest;
import io.dino.api.v1.GetRoomAclResponse;
import io.dino.api.v1.ListRoomMembersRequest;
import io.dino.api.v1.SetRoomAclRequest;
import io.dino.api.v1.SetRoomAclResponse;
import io.dino.api.v1.ListRoomMembersResponse;
import io.dino.api.v1.ListRoomsMembersRequest;
import io.dino.api.v1.ListRoomsMembersResponse;
import io.dino.api.v1.RoomMembers;
import io.dino.api.v1.ListUserRoomsRequest;
import io.dino.api.v1.ListUserRoomsResponse;
import io.dino.api.v1.UserRooms;
import io.dino.api.v1.MintTokenRequest;
import io.dino.api.v1.MintTokenResponse;
import io.dino.api.v1.Position;
import io.dino.api.v1.PublishResponse;
import io.dino.api.v1.PublishToRoomRequest;
import io.dino.api.v1.PublishToUsersRequest;
import io.dino.api.v1.PublishToUsersResponse;
import io.dino.api.v1.UserPresence;
import io.dino.api.v1.UserPublishResult;
import io.dino.gateway.auth.TokenMinter;
import io.dino.gateway.core.DinoException;
import io.dino.gateway.core.ErrorCode;
import io.dino.gateway.core.Names;
import io.dino.gateway.core.Operations;
import io.dino.gateway.edge.json.JsonBodies;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.ops.GatewayMetrics;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Supplier;

/** The {@code dino.v1.Backend} service: each call validates its request and runs one core operation. */
public final class BackendService extends BackendGrpc.BackendImplBase {

    private static final int MAX_USERS_PER_CALL = 1000;
    private static final int MAX_IDEMPOTENCY_KEY_LENGTH = 128;
    private static final Duration MAX_TOKEN_TTL = Duration.ofDays(30);

    private final Operations operations;
    private final JsonBodies bodies;
    private final TokenMinter minter;
    private final Responses responses;

    public BackendService(Operations operations, JsonBodies bodies, TokenMinter minter, GatewayMetrics metrics) {
        this.operations = operations;
        this.bodies = bodies;
        this.minter = minter;
        this.responses = new Responses(metrics, BackendService.class);
    }

    @Override
    public void publishToRoom(PublishToRoomRequest request, StreamObserver<PublishResponse> response) {
        respond(response, () -> {
            Publication publication = operations.messages().publishToRoom(request.getRoom(), request.getSender(),
                    bodies.fromJsonText(request.getBodyJson()), idempotencyKey(request.getIdempotencyKey()));
            return PublishResponse.newBuilder()
                    .setMessageId(publication.id())
                    .setPosition(position(publication))
                    .setTimestampMs(publication.timestamp())
                    .build();
        });
    }

    @Override
    public void publishToUsers(PublishToUsersRequest request, StreamObserver<PublishToUsersResponse> response) {
        respond(response, () -> {
            List<String> users = request.getUsersList();
            if (users.isEmpty() || users.size() > MAX_USERS_PER_CALL) {
                throw new DinoException(ErrorCode.INVALID_VALUE, "users must name 1-" + MAX_USERS_PER_CALL + " users");
            }
            List<Publication> publications = operations.messages().publishToUsers(users, request.getSender(),
                    bodies.fromJsonText(request.getBodyJson()), idempotencyKey(request.getIdempotencyKey()));
            PublishToUsersResponse.Builder result = PublishToUsersResponse.newBuilder();
            for (Publication publication : publications) {
                result.addResults(UserPublishResult.newBuilder()
                        .setUser(publication.log().name())
                        .setMessageId(publication.id())
                        .setPosition(position(publication)));
                result.setTimestampMs(publication.timestamp());
            }
            return result.build();
        });
    }

    @Override
    public void broadcast(BroadcastRequest request, StreamObserver<BroadcastResponse> response) {
        respond(response, () -> {
            Publication publication = operations.messages().broadcast(request.getSender(), bodies.fromJsonText(request.getBodyJson()));
            return BroadcastResponse.newBuilder().setMessageId(publication.id()).setTimestampMs(publication.timestamp()).build();
        });
    }

    @Override
    public void disconnectUser(DisconnectUserRequest request, StreamObserver<DisconnectUserResponse> response) {
        respond(response, () -> DisconnectUserResponse.newBuilder()
                .setSessionsClosed(operations.presence().disconnectUser(request.getUser(), request.getReason(), request.getReconnect()))
                .build());
    }

    @Override
    public void listOnlineUsers(ListOnlineUsersRequest request, StreamObserver<ListOnlineUsersResponse> response) {
        respond(response, () -> ListOnlineUsersResponse.newBuilder().addAllUsers(operations.presence().onlineUsers()).build());
    }

    @Override
    public void getPresence(GetPresenceRequest request, StreamObserver<GetPresenceResponse> response) {
        respond(response, () -> {
            List<String> users = List.copyOf(new LinkedHashSet<>(request.getUsersList()));
            if (users.isEmpty() || users.size() > MAX_USERS_PER_CALL) {
                throw new DinoException(ErrorCode.INVALID_VALUE, "users must name 1-" + MAX_USERS_PER_CALL + " users");
            }
            HashSet<String> online = new HashSet<>(operations.presence().online(users));
            GetPresenceResponse.Builder result = GetPresenceResponse.newBuilder();
            users.forEach(user -> result.addUsers(UserPresence.newBuilder().setUser(user).setOnline(online.contains(user))));
            return result.build();
        });
    }

    @Override
    public void setUserStatus(SetUserStatusRequest request, StreamObserver<SetUserStatusResponse> response) {
        respond(response, () -> {
            String status = switch (request.getStatus()) {
                case PRESENCE_STATUS_ONLINE -> "online";
                case PRESENCE_STATUS_AWAY -> "away";
                case PRESENCE_STATUS_INVISIBLE -> "invisible";
                default -> throw new DinoException(ErrorCode.INVALID_VALUE,
                        "status must be ONLINE, AWAY or INVISIBLE, got " + request.getStatus());
            };
            operations.presence().setStatus(request.getUser(), status);
            return SetUserStatusResponse.getDefaultInstance();
        });
    }

    @Override
    public void getUserStatus(GetUserStatusRequest request, StreamObserver<GetUserStatusResponse> response) {
        respond(response, () -> {
            GetUserStatusResponse.Builder result = GetUserStatusResponse.newBuilder();
            for (io.dino.gateway.engine.UserPresence presence : operations.presence().presence(distinctUsers(request.getUsersList()))) {
                result.addUsers(UserStatusEntry.newBuilder().setUser(presence.user()).setStatus(wire(presence.status())));
            }
            return result.build();
        });
    }

    @Override
    public void getLastOnline(GetLastOnlineRequest request, StreamObserver<GetLastOnlineResponse> response) {
        respond(response, () -> {
            GetLastOnlineResponse.Builder result = GetLastOnlineResponse.newBuilder();
            for (io.dino.gateway.engine.UserPresence presence : operations.presence().presence(distinctUsers(request.getUsersList()))) {
                result.addUsers(UserLastOnline.newBuilder().setUser(presence.user())
                        .setOnline(presence.status() != io.dino.gateway.engine.UserStatus.OFFLINE)
                        .setLastOnlineMs(presence.lastOnline().orElse(0)));
            }
            return result.build();
        });
    }

    private static List<String> distinctUsers(List<String> asked) {
        List<String> users = List.copyOf(new LinkedHashSet<>(asked));
        if (users.isEmpty() || users.size() > MAX_USERS_PER_CALL) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "users must name 1-" + MAX_USERS_PER_CALL + " users");
        }
        return users;
    }

    private static PresenceStatus wire(io.dino.gateway.engine.UserStatus status) {
        return switch (status) {
            case ONLINE -> PresenceStatus.PRESENCE_STATUS_ONLINE;
            case AWAY -> PresenceStatus.PRESENCE_STATUS_AWAY;
            case INVISIBLE -> PresenceStatus.PRESENCE_STATUS_INVISIBLE;
            case OFFLINE -> PresenceStatus.PRESENCE_STATUS_OFFLINE;
        };
    }

    @Override
    public void listRoomMembers(ListRoomMembersRequest request, StreamObserver<ListRoomMembersResponse> response) {
        respond(response, () -> ListRoomMembersResponse.newBuilder().addAllUsers(operations.rooms().members(request.getRoom())).build());
    }

    @Override
    public void listRoomsMembers(ListRoomsMembersRequest request, StreamObserver<ListRoomsMembersResponse> response) {
        respond(response, () -> {
            ListRoomsMembersResponse.Builder result = ListRoomsMembersResponse.newBuilder();
            operations.rooms().membersOfRooms(request.getRoomsList()).forEach((room, users) ->
                    result.addRooms(RoomMembers.newBuilder().setRoom(room).addAllUsers(users)));
            return result.build();
        });
    }

    @Override
    public void listUserRooms(ListUserRoomsRequest request, StreamObserver<ListUserRoomsResponse> response) {
        respond(response, () -> {
            ListUserRoomsResponse.Builder result = ListUserRoomsResponse.newBuilder();
            operations.rooms().roomsOfUsers(request.getUsersList()).forEach((user, rooms) ->
                    result.addUsers(UserRooms.newBuilder().setUser(user).addAllRooms(rooms)));
            return result.build();
        });
    }

    @Override
    public void setRoomAcl(SetRoomAclRequest request, StreamObserver<SetRoomAclResponse> response) {
        respond(response, () -> SetRoomAclResponse.newBuilder()
                .setSessionsRemoved(operations.rooms().setRoomAcl(request.getRoom(), request.getRulesMap())).build());
    }

    @Override
    public void getRoomAcl(GetRoomAclRequest request, StreamObserver<GetRoomAclResponse> response) {
        respond(response, () -> GetRoomAclResponse.newBuilder().putAllRules(operations.rooms().roomAcl(request.getRoom())).build());
    }

    @Override
    public void mintToken(MintTokenRequest request, StreamObserver<MintTokenResponse> response) {
        respond(response, () -> {
            Names.user(request.getUser());
            Duration ttl = Duration.ofSeconds(request.getTtlSeconds());
            if (ttl.compareTo(MAX_TOKEN_TTL) > 0) {
                throw new DinoException(ErrorCode.INVALID_VALUE, "ttl_seconds may be at most " + MAX_TOKEN_TTL.toSeconds());
            }
            if (!minter.canMint()) {
                throw Status.FAILED_PRECONDITION
                        .withDescription("this node has no HMAC secret to sign tokens with (dino.auth.hmac-secrets)")
                        .asRuntimeException();
            }
            TokenMinter.MintedToken token = minter.mint(request.getUser(), new LinkedHashSet<>(request.getRolesList()),
                    request.getAttributesMap(), ttl);
            return MintTokenResponse.newBuilder()
                    .setToken(token.token())
                    .setExpiresAtMs(token.expiresAt().toEpochMilli())
                    .setTokenId(token.tokenId())
                    .build();
        });
    }

    private static String idempotencyKey(String key) {
        if (key.length() > MAX_IDEMPOTENCY_KEY_LENGTH) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "idempotency_key may be at most " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters");
        }
        return key;
    }

    private static Position position(Publication publication) {
        return Position.newBuilder()
                .setEpoch(publication.position().epoch())
                .setOffset(publication.position().offset())
                .build();
    }

    private <T> void respond(StreamObserver<T> response, Supplier<T> call) {
        responses.respond(response, call);
    }
}
