package io.dino.gateway.edge.grpc;

import io.dino.api.v1.Channel;
import io.dino.api.v1.CreateChannelRequest;
import io.dino.api.v1.CreateChannelResponse;
import io.dino.api.v1.CreateRoomRequest;
import io.dino.api.v1.CreateRoomResponse;
import io.dino.api.v1.GetChannelAclRequest;
import io.dino.api.v1.GetChannelAclResponse;
import io.dino.api.v1.GetRoomRequest;
import io.dino.api.v1.GetRoomResponse;
import io.dino.api.v1.ListChannelsRequest;
import io.dino.api.v1.ListChannelsResponse;
import io.dino.api.v1.ListJoinableRoomsRequest;
import io.dino.api.v1.ListJoinableRoomsResponse;
import io.dino.api.v1.ListRoomsRequest;
import io.dino.api.v1.ListRoomsResponse;
import io.dino.api.v1.RemoveChannelRequest;
import io.dino.api.v1.RemoveChannelResponse;
import io.dino.api.v1.RemoveRoomRequest;
import io.dino.api.v1.RemoveRoomResponse;
import io.dino.api.v1.RenameRoomRequest;
import io.dino.api.v1.RenameRoomResponse;
import io.dino.api.v1.Room;
import io.dino.api.v1.RoomKind;
import io.dino.api.v1.RoomsGrpc;
import io.dino.api.v1.SetChannelAclRequest;
import io.dino.api.v1.SetChannelAclResponse;
import io.dino.api.v1.UpdateChannelRequest;
import io.dino.api.v1.UpdateChannelResponse;
import io.dino.api.v1.UpdateRoomRequest;
import io.dino.api.v1.UpdateRoomResponse;
import io.dino.gateway.core.DinoException;
import io.dino.gateway.core.ErrorCode;
import io.dino.gateway.core.JoinableRooms;
import io.dino.gateway.core.RoomAdmin;
import io.dino.gateway.engine.Directory;
import io.dino.gateway.engine.Directory.ChannelRecord;
import io.dino.gateway.engine.Directory.RoomRecord;
import io.dino.gateway.ops.GatewayMetrics;
import io.grpc.stub.StreamObserver;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/** The {@code dino.v1.Rooms} service: channels and registered rooms as the backend manages them, each call one core operation. */
public final class RoomsService extends RoomsGrpc.RoomsImplBase {

    private final RoomAdmin admin;
    private final JoinableRooms joinable;
    private final Responses responses;

    public RoomsService(RoomAdmin admin, JoinableRooms joinable, GatewayMetrics metrics) {
        this.admin = admin;
        this.joinable = joinable;
        this.responses = new Responses(metrics, RoomsService.class);
    }

    @Override
    public void createChannel(CreateChannelRequest request, StreamObserver<CreateChannelResponse> response) {
        respond(response, () -> CreateChannelResponse.newBuilder().setChannel(wire(admin.createChannel(request.getId(),
                request.getName(), request.getSortOrder(), request.getTagsList(), request.getRulesMap()))).build());
    }

    @Override
    public void updateChannel(UpdateChannelRequest request, StreamObserver<UpdateChannelResponse> response) {
        respond(response, () -> UpdateChannelResponse.newBuilder().setChannel(wire(admin.updateChannel(request.getId(),
                request.getName(), request.getSortOrder(), request.getTagsList(), request.getRulesMap()))).build());
    }

    @Override
    public void removeChannel(RemoveChannelRequest request, StreamObserver<RemoveChannelResponse> response) {
        respond(response, () -> {
            admin.removeChannel(request.getId());
            return RemoveChannelResponse.getDefaultInstance();
        });
    }

    @Override
    public void listChannels(ListChannelsRequest request, StreamObserver<ListChannelsResponse> response) {
        respond(response, () -> ListChannelsResponse.newBuilder()
                .addAllChannels(admin.channels().stream().map(RoomsService::wire).toList()).build());
    }

    @Override
    public void setChannelAcl(SetChannelAclRequest request, StreamObserver<SetChannelAclResponse> response) {
        respond(response, () -> SetChannelAclResponse.newBuilder()
                .setSessionsRechecked(admin.setChannelRules(request.getChannel(), request.getRulesMap())).build());
    }

    @Override
    public void getChannelAcl(GetChannelAclRequest request, StreamObserver<GetChannelAclResponse> response) {
        respond(response, () -> GetChannelAclResponse.newBuilder().putAllRules(admin.channelRules(request.getChannel())).build());
    }

    @Override
    public void createRoom(CreateRoomRequest request, StreamObserver<CreateRoomResponse> response) {
        respond(response, () -> {
            RoomAdmin.NewRoom room = new RoomAdmin.NewRoom(
                    request.getId().isEmpty() ? Optional.empty() : Optional.of(request.getId()),
                    request.getChannel(), request.getName(), kind(request.getKind()), request.getCapacity(), request.getTopic(),
                    new LinkedHashSet<>(request.getMembersList()),
                    !request.hasMembershipEvents() || request.getMembershipEvents(),
                    new LinkedHashSet<>(request.getOwnersList()), new LinkedHashSet<>(request.getModeratorsList()));
            return CreateRoomResponse.newBuilder().setRoom(wire(admin.createRoom(room))).build();
        });
    }

    @Override
    public void renameRoom(RenameRoomRequest request, StreamObserver<RenameRoomResponse> response) {
        respond(response, () -> RenameRoomResponse.newBuilder()
                .setRoom(wire(admin.renameRoom(request.getRoom(), request.getName()))).build());
    }

    @Override
    public void updateRoom(UpdateRoomRequest request, StreamObserver<UpdateRoomResponse> response) {
        respond(response, () -> {
            RoomAdmin.RoomUpdate update = new RoomAdmin.RoomUpdate(
                    request.hasCapacity() ? OptionalInt.of(request.getCapacity()) : OptionalInt.empty(),
                    request.hasTopic() ? Optional.of(request.getTopic()) : Optional.empty(),
                    request.getSetMembers() ? Optional.of(new LinkedHashSet<>(request.getMembersList())) : Optional.empty(),
                    request.hasMembershipEvents() ? Optional.of(request.getMembershipEvents()) : Optional.empty());
            return UpdateRoomResponse.newBuilder().setRoom(wire(admin.updateRoom(request.getRoom(), update))).build();
        });
    }

    @Override
    public void removeRoom(RemoveRoomRequest request, StreamObserver<RemoveRoomResponse> response) {
        respond(response, () -> {
            admin.removeRoom(request.getRoom());
            return RemoveRoomResponse.getDefaultInstance();
        });
    }

    @Override
    public void getRoom(GetRoomRequest request, StreamObserver<GetRoomResponse> response) {
        respond(response, () -> GetRoomResponse.newBuilder().setRoom(wire(admin.view(request.getRoom()))).build());
    }

    @Override
    public void listRooms(ListRoomsRequest request, StreamObserver<ListRoomsResponse> response) {
        respond(response, () -> ListRoomsResponse.newBuilder().addAllRooms(admin.rooms(
                request.getChannel().isEmpty() ? Directory.DEFAULT_CHANNEL : request.getChannel()).stream()
                .map(room -> wire(room).build()).toList()).build());
    }

    @Override
    public void listJoinableRooms(ListJoinableRoomsRequest request, StreamObserver<ListJoinableRoomsResponse> response) {
        respond(response, () -> {
            JoinableRooms.Joinable rooms = joinable.of(request.getUser(), new LinkedHashSet<>(request.getRolesList()),
                    request.getAttributesMap(), Optional.of(request.getChannel()));
            return ListJoinableRoomsResponse.newBuilder()
                    .addAllRooms(rooms.rooms().stream().map(room -> wire(room).build()).toList())
                    .setTruncated(rooms.truncated())
                    .build();
        });
    }

    private static Directory.RoomKind kind(RoomKind kind) {
        return switch (kind) {
            case ROOM_KIND_STATIC -> Directory.RoomKind.STATIC;
            case ROOM_KIND_EPHEMERAL -> Directory.RoomKind.EPHEMERAL;
            case ROOM_KIND_PRIVATE -> Directory.RoomKind.PRIVATE;
            case ROOM_KIND_UNSPECIFIED, UNRECOGNIZED ->
                    throw new DinoException(ErrorCode.INVALID_VALUE, "kind must be static, ephemeral or private");
        };
    }

    private static Channel wire(ChannelRecord channel) {
        return Channel.newBuilder().setId(channel.id()).setName(channel.name()).setSortOrder(channel.sortOrder())
                .addAllTags(channel.tags()).putAllRules(channel.rules()).build();
    }

    private static Room.Builder wire(RoomRecord room) {
        return Room.newBuilder().setId(room.id()).setChannel(room.channel()).setName(room.name())
                .setKind(switch (room.kind()) {
                    case STATIC -> RoomKind.ROOM_KIND_STATIC;
                    case EPHEMERAL -> RoomKind.ROOM_KIND_EPHEMERAL;
                    case PRIVATE -> RoomKind.ROOM_KIND_PRIVATE;
                })
                .setCapacity(room.capacity()).setTopic(room.topic() == null ? "" : room.topic()).setCreatedAt(room.createdAt())
                .setCreatedBy(room.createdBy() == null ? "" : room.createdBy())
                .addAllMembers(room.members().stream().sorted().toList())
                .setMembershipEvents(room.membershipEvents());
    }

    private static Room wire(RoomAdmin.RoomView view) {
        return wire(view.room()).addAllOwners(view.owners()).addAllModerators(view.moderators()).setUsers(view.users()).build();
    }

    private <T> void respond(StreamObserver<T> response, Supplier<T> call) {
        responses.respond(response, call);
    }
}
