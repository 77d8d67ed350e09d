package io.dino.api.client;

import io.dino.api.v1.BackendGrpc;
import io.dino.api.v1.BroadcastRequest;
import io.dino.api.v1.BroadcastResponse;
import io.dino.api.v1.DisconnectUserRequest;
import io.dino.api.v1.GetLastOnlineRequest;
import io.dino.api.v1.GetPresenceRequest;
import io.dino.api.v1.GetUserStatusRequest;
import io.dino.api.v1.PresenceStatus;
import io.dino.api.v1.SetUserStatusRequest;
import io.dino.api.v1.UserLastOnline;
import io.dino.api.v1.UserStatusEntry;
import io.dino.api.v1.ListOnlineUsersRequest;
import io.dino.api.v1.GetRoomAclRequest;
import io.dino.api.v1.ListRoomMembersRequest;
import io.dino.api.v1.ListRoomsMembersRequest;
import io.dino.api.v1.RoomMembers;
import io.dino.api.v1.ListUserRoomsRequest;
import io.dino.api.v1.UserRooms;
import io.dino.api.v1.SetRoomAclRequest;
import io.dino.api.v1.MintTokenRequest;
import io.dino.api.v1.MintTokenResponse;
import io.dino.api.v1.PublishResponse;
import io.dino.api.v1.PublishToRoomRequest;
import io.dino.api.v1.PublishToUsersRequest;
import io.dino.api.v1.PublishToUsersResponse;
import io.dino.api.v1.UserPresence;
import io.dino.api.v1.GrantRoleRequest;
import io.dino.api.v1.ListRoleHoldersRequest;
import io.dino.api.v1.ListUserRolesRequest;
import io.dino.api.v1.RevokeRoleRequest;
import io.dino.api.v1.RoleGrant;
import io.dino.api.v1.RoleHolder;
import io.dino.api.v1.RoleScope;
import io.dino.api.v1.RolesGrpc;
import io.dino.api.v1.UserRoles;
import io.dino.api.v1.Channel;
import io.dino.api.v1.CreateChannelRequest;
import io.dino.api.v1.CreateRoomRequest;
import io.dino.api.v1.GetChannelAclRequest;
import io.dino.api.v1.GetRoomRequest;
import io.dino.api.v1.ListJoinableRoomsRequest;
import io.dino.api.v1.ListJoinableRoomsResponse;
import io.dino.api.v1.ListChannelsRequest;
import io.dino.api.v1.ListRoomsRequest;
import io.dino.api.v1.RemoveChannelRequest;
import io.dino.api.v1.RemoveRoomRequest;
import io.dino.api.v1.RenameRoomRequest;
import io.dino.api.v1.Room;
import io.dino.api.v1.RoomKind;
import io.dino.api.v1.RoomsGrpc;
import io.dino.api.v1.ModerationGrpc;
import io.dino.api.v1.DeleteMessagesRequest;
import io.dino.api.v1.DeleteMessagesResponse;
import io.dino.api.v1.KickUserRequest;
import io.dino.api.v1.RestoreMessagesRequest;
import io.dino.api.v1.RestoreMessagesResponse;
import io.dino.api.v1.Ban;
import io.dino.api.v1.BanUserRequest;
import io.dino.api.v1.BanUserResponse;
import io.dino.api.v1.ListBansRequest;
import io.dino.api.v1.ListMutesRequest;
import io.dino.api.v1.Mute;
import io.dino.api.v1.MuteUserRequest;
import io.dino.api.v1.UnbanUserRequest;
import io.dino.api.v1.UnmuteUserRequest;
import io.dino.api.v1.SetChannelAclRequest;
import io.dino.api.v1.UpdateChannelRequest;
import io.dino.api.v1.UpdateRoomRequest;
import io.dino.api.v1.EventsGrpc;
import io.dino.api.v1.WatchEventsRequest;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A small client for backend services: sends the API key with every call, puts a deadline on every
 * call, and retries publishes that failed with UNAVAILABLE. Retries are safe because every publish
 * carries an idempotency key (a random one when the caller gives none), so a retried publish is
 * stored once. Broadcasts have no idempotency key and are never retried.
 *
 * <pre>{@code
 * try (DinoBackendClient dino = DinoBackendClient.builder("127.0.0.1", 8081).apiKey("dev-api-key").build()) {
 *     PublishResponse stored = dino.publishToRoom("lobby", "\"hello\"");
 * }
 * }</pre>
 */
public final class DinoBackendClient implements AutoCloseable {

    private static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

    private final ManagedChannel channel;
    private final BackendGrpc.BackendBlockingStub stub;
    private final RolesGrpc.RolesBlockingStub roles;
    private final RoomsGrpc.RoomsBlockingStub rooms;
    private final ModerationGrpc.ModerationBlockingStub moderation;
    private final io.dino.api.v1.ReceiptsGrpc.ReceiptsBlockingStub receipts;
    private final EventsGrpc.EventsBlockingStub events;
    private final io.dino.api.v1.TokensGrpc.TokensBlockingStub tokens;
    private final Duration deadline;

    private DinoBackendClient(Builder builder) {
        ManagedChannelBuilder<?> channelBuilder = builder.trustedCertificates != null
                ? Grpc.newChannelBuilderForAddress(builder.host, builder.port, tlsTrusting(builder.trustedCertificates))
                : ManagedChannelBuilder.forAddress(builder.host, builder.port);
        channelBuilder.defaultServiceConfig(retryPolicy(builder.maxAttempts)).enableRetry();
        if (builder.trustedCertificates == null) {
            if (builder.plaintext) {
                channelBuilder.usePlaintext();
            } else {
                channelBuilder.useTransportSecurity();
            }
        }
        this.channel = channelBuilder.build();
        Metadata headers = new Metadata();
        headers.put(API_KEY, builder.apiKey);
        this.stub = BackendGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        this.roles = RolesGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        this.rooms = RoomsGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        this.moderation = ModerationGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        this.receipts = io.dino.api.v1.ReceiptsGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        this.events = EventsGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        this.tokens = io.dino.api.v1.TokensGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        this.deadline = builder.deadline;
    }

    private static ChannelCredentials tlsTrusting(Path certificates) {
        try {
            return TlsChannelCredentials.newBuilder().trustManager(certificates.toFile()).build();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read trusted certificates " + certificates, e);
        }
    }

    public static Builder builder(String host, int port) {
        return new Builder(host, port);
    }

    /** Stores a message in a room's log and delivers it to the room's members; {@code bodyJson} is JSON text. */
    public PublishResponse publishToRoom(String room, String bodyJson) {
        return publishToRoom(PublishToRoomRequest.newBuilder().setRoom(room).setBodyJson(bodyJson).build());
    }

    /** As above, with every field of the request; an empty idempotency key is replaced by a random one. */
    public PublishResponse publishToRoom(PublishToRoomRequest request) {
        PublishToRoomRequest keyed = request.getIdempotencyKey().isEmpty()
                ? request.toBuilder().setIdempotencyKey(UUID.randomUUID().toString()).build()
                : request;
        return stub().publishToRoom(keyed);
    }

    /** Stores a message in each user's inbox and delivers it to all their sessions. */
    public PublishToUsersResponse publishToUsers(List<String> users, String bodyJson) {
        return publishToUsers(PublishToUsersRequest.newBuilder().addAllUsers(users).setBodyJson(bodyJson).build());
    }

    public PublishToUsersResponse publishToUsers(PublishToUsersRequest request) {
        PublishToUsersRequest keyed = request.getIdempotencyKey().isEmpty()
                ? request.toBuilder().setIdempotencyKey(UUID.randomUUID().toString()).build()
                : request;
        return stub().publishToUsers(keyed);
    }

    /** Delivers to every connected session; not stored, not retried. */
    public BroadcastResponse broadcast(String bodyJson) {
        return stub().broadcast(BroadcastRequest.newBuilder().setBodyJson(bodyJson).build());
    }

    /** Closes every session of the user; returns how many were closed. */
    public int disconnectUser(String user, String reason, boolean reconnect) {
        return stub().disconnectUser(DisconnectUserRequest.newBuilder()
                .setUser(user).setReason(reason).setReconnect(reconnect).build()).getSessionsClosed();
    }

    public List<String> onlineUsers() {
        return stub().listOnlineUsers(ListOnlineUsersRequest.getDefaultInstance()).getUsersList();
    }

    /** Whether each user is online, by user id. */
    public Map<String, Boolean> presence(List<String> users) {
        return stub().getPresence(GetPresenceRequest.newBuilder().addAllUsers(users).build()).getUsersList().stream()
                .collect(Collectors.toMap(UserPresence::getUser, UserPresence::getOnline, (a, b) -> a, java.util.LinkedHashMap::new));
    }

    /** Sets an online user's status for all the user's sessions (NOT_FOUND when the user has no session). */
    public void setUserStatus(String user, PresenceStatus status) {
        stub().setUserStatus(SetUserStatusRequest.newBuilder().setUser(user).setStatus(status).build());
    }

    /** Each user's status as it is (invisible users included), by user id, in the order asked. */
    public Map<String, PresenceStatus> userStatus(List<String> users) {
        return stub().getUserStatus(GetUserStatusRequest.newBuilder().addAllUsers(users).build()).getUsersList().stream()
                .collect(Collectors.toMap(UserStatusEntry::getUser, UserStatusEntry::getStatus, (a, b) -> a, java.util.LinkedHashMap::new));
    }

    /** When each user's last session ended, by user id, in the order asked; absent when Dino has no record of it. */
    public Map<String, java.util.Optional<java.time.Instant>> lastOnline(List<String> users) {
        Map<String, java.util.Optional<java.time.Instant>> result = new java.util.LinkedHashMap<>();
        for (UserLastOnline entry : stub().getLastOnline(GetLastOnlineRequest.newBuilder().addAllUsers(users).build()).getUsersList()) {
            result.put(entry.getUser(), entry.getLastOnlineMs() == 0 ? java.util.Optional.empty()
                    : java.util.Optional.of(java.time.Instant.ofEpochMilli(entry.getLastOnlineMs())));
        }
        return result;
    }

    public List<String> roomMembers(String room) {
        return stub().listRoomMembers(ListRoomMembersRequest.newBuilder().setRoom(room).build()).getUsersList();
    }

    /**
     * For each of up to 100 users, the rooms any of their sessions is in on any node (invisible users included),
     * user → sorted rooms, in the order asked, each user once; a user in no room maps to an empty list.
     */
    public Map<String, List<String>> userRooms(List<String> users) {
        return stub().listUserRooms(ListUserRoomsRequest.newBuilder().addAllUsers(users).build()).getUsersList().stream()
                .collect(Collectors.toMap(UserRooms::getUser, rooms -> List.copyOf(rooms.getRoomsList()), (a, b) -> a,
                        java.util.LinkedHashMap::new));
    }

    /**
     * The members of each of up to 100 rooms (invisible users included), room → sorted users, in the order asked,
     * each room once; a room nobody is in maps to an empty list.
     */
    public Map<String, List<String>> roomsMembers(List<String> rooms) {
        return stub().listRoomsMembers(ListRoomsMembersRequest.newBuilder().addAllRooms(rooms).build()).getRoomsList().stream()
                .collect(Collectors.toMap(RoomMembers::getRoom, members -> List.copyOf(members.getUsersList()), (a, b) -> a,
                        java.util.LinkedHashMap::new));
    }

    /**
     * Replaces a room's access rules (action → rule; absent or empty: no rule) and returns how many sessions
     * are being taken out of the room because they no longer pass {@code join}.
     */
    public int setRoomAcl(String room, Map<String, String> rules) {
        return stub().setRoomAcl(SetRoomAclRequest.newBuilder().setRoom(room).putAllRules(rules).build()).getSessionsRemoved();
    }

    /** A room's access rules, action → rule in canonical form; empty when it has none. */
    public Map<String, String> roomAcl(String room) {
        return stub().getRoomAcl(GetRoomAclRequest.newBuilder().setRoom(room).build()).getRulesMap();
    }

    public MintTokenResponse mintToken(String user, List<String> roles, Map<String, String> attributes, Duration ttl) {
        return stub().mintToken(MintTokenRequest.newBuilder()
                .setUser(user).addAllRoles(roles).putAllAttributes(attributes).setTtlSeconds((int) ttl.toSeconds()).build());
    }

    /**
     * Gives a user a stored role in a channel ({@code owner}, {@code admin}) or a room ({@code owner},
     * {@code moderator}); true if the user did not have it. Retried on UNAVAILABLE (a retry may answer false).
     */
    public boolean grantRole(RoleScope scope, String id, String user, String role) {
        GrantRoleRequest.Builder request = GrantRoleRequest.newBuilder().setUser(user).setRole(role);
        switch (scope) {
            case ROLE_SCOPE_CHANNEL -> request.setChannel(id);
            case ROLE_SCOPE_ROOM -> request.setRoom(id);
            default -> throw new IllegalArgumentException("scope must be ROLE_SCOPE_CHANNEL or ROLE_SCOPE_ROOM");
        }
        return rolesStub().grantRole(request.build()).getChanged();
    }

    /** Takes a stored role from a user; true if the user had it. Retried on UNAVAILABLE (a retry may answer false). */
    public boolean revokeRole(RoleScope scope, String id, String user, String role) {
        RevokeRoleRequest.Builder request = RevokeRoleRequest.newBuilder().setUser(user).setRole(role);
        switch (scope) {
            case ROLE_SCOPE_CHANNEL -> request.setChannel(id);
            case ROLE_SCOPE_ROOM -> request.setRoom(id);
            default -> throw new IllegalArgumentException("scope must be ROLE_SCOPE_CHANNEL or ROLE_SCOPE_ROOM");
        }
        return rolesStub().revokeRole(request.build()).getChanged();
    }

    /** For each of up to 100 users, in the order asked, each once: every stored role, sorted by scope, id and role. */
    public Map<String, List<RoleGrant>> userRoles(List<String> users) {
        return rolesStub().listUserRoles(ListUserRolesRequest.newBuilder().addAllUsers(users).build()).getUsersList().stream()
                .collect(Collectors.toMap(UserRoles::getUser, grants -> List.copyOf(grants.getGrantsList()), (a, b) -> a,
                        java.util.LinkedHashMap::new));
    }

    /** Everyone with a stored role in a channel or a room: user → sorted roles, sorted by user. */
    public Map<String, List<String>> roleHolders(RoleScope scope, String id) {
        ListRoleHoldersRequest.Builder request = ListRoleHoldersRequest.newBuilder();
        switch (scope) {
            case ROLE_SCOPE_CHANNEL -> request.setChannel(id);
            case ROLE_SCOPE_ROOM -> request.setRoom(id);
            default -> throw new IllegalArgumentException("scope must be ROLE_SCOPE_CHANNEL or ROLE_SCOPE_ROOM");
        }
        return rolesStub().listRoleHolders(request.build()).getHoldersList().stream()
                .collect(Collectors.toMap(RoleHolder::getUser, holder -> List.copyOf(holder.getRolesList()), (a, b) -> a,
                        java.util.LinkedHashMap::new));
    }

    /** Creates a channel (an empty name: its id); ALREADY_EXISTS when the id is taken. */
    public Channel createChannel(String id, String name, int sortOrder, List<String> tags, Map<String, String> rules) {
        return roomsStub().createChannel(CreateChannelRequest.newBuilder().setId(id).setName(name).setSortOrder(sortOrder)
                .addAllTags(tags).putAllRules(rules).build()).getChannel();
    }

    /** Replaces a channel's name, sort order, tags and rules. Retried on UNAVAILABLE (it leaves the same channel). */
    public Channel updateChannel(String id, String name, int sortOrder, List<String> tags, Map<String, String> rules) {
        return roomsStub().updateChannel(UpdateChannelRequest.newBuilder().setId(id).setName(name).setSortOrder(sortOrder)
                .addAllTags(tags).putAllRules(rules).build()).getChannel();
    }

    /** Removes a channel without rooms. */
    public void removeChannel(String id) {
        roomsStub().removeChannel(RemoveChannelRequest.newBuilder().setId(id).build());
    }

    /** Every channel, the default one included, by sort order then id. */
    public List<Channel> channels() {
        return roomsStub().listChannels(ListChannelsRequest.getDefaultInstance()).getChannelsList();
    }

    /** Replaces a channel's access rules; answers how many sessions in its rooms were re-checked. */
    public int setChannelAcl(String channel, Map<String, String> rules) {
        return roomsStub().setChannelAcl(SetChannelAclRequest.newBuilder().setChannel(channel).putAllRules(rules).build())
                .getSessionsRechecked();
    }

    public Map<String, String> channelAcl(String channel) {
        return roomsStub().getChannelAcl(GetChannelAclRequest.newBuilder().setChannel(channel).build()).getRulesMap();
    }

    /** Registers a room of the kind in the channel (empty: default) with a generated id. */
    public Room createRoom(String channel, String name, RoomKind kind) {
        return createRoom(CreateRoomRequest.newBuilder().setChannel(channel).setName(name).setKind(kind).build());
    }

    /** Registers a room: id, owners, moderators, members, capacity, topic as the request gives them. */
    public Room createRoom(CreateRoomRequest request) {
        return roomsStub().createRoom(request).getRoom();
    }

    /** Renames a room; its sessions get a {@code renamed} event. Retried on UNAVAILABLE (same name, same result). */
    public Room renameRoom(String room, String name) {
        return roomsStub().renameRoom(RenameRoomRequest.newBuilder().setRoom(room).setName(name).build()).getRoom();
    }

    /** Changes what the request sets of a room's capacity, topic, members and membership events. */
    public Room updateRoom(UpdateRoomRequest request) {
        return roomsStub().updateRoom(request).getRoom();
    }

    /** Removes a room; its sessions are taken out with {@code removed} (reason "room removed"). */
    public void removeRoom(String room) {
        roomsStub().removeRoom(RemoveRoomRequest.newBuilder().setRoom(room).build());
    }

    /** A registered room with its owners, moderators and user count. */
    public Room room(String room) {
        return roomsStub().getRoom(GetRoomRequest.newBuilder().setRoom(room).build()).getRoom();
    }

    /** The registered rooms of a channel (empty: default), by name. */
    public List<Room> rooms(String channel) {
        return roomsStub().listRooms(ListRoomsRequest.newBuilder().setChannel(channel).build()).getRoomsList();
    }

    /**
     * The registered rooms a user with these token claims may join (every channel when {@code channel} is empty), by
     * channel then name, at most 1000 ({@link ListJoinableRoomsResponse#getTruncated()} says when there were more).
     */
    public ListJoinableRoomsResponse joinableRooms(String user, List<String> roles, Map<String, String> attributes,
                                                   String channel) {
        return roomsStub().listJoinableRooms(ListJoinableRoomsRequest.newBuilder().setUser(user).addAllRoles(roles)
                .putAllAttributes(attributes).setChannel(channel).build());
    }

    /**
     * Kicks a user out of a room on every node ({@code Moderation.KickUser}): the user's sessions there are taken
     * out and the room is told {@code kicked}; {@code reason} and {@code by} may be empty ({@code by}: "system").
     * Answers how many sessions were taken out (0: the user was not in the room). Not retried: a kick is not a ban,
     * so a repeat after the user joined again would kick them again.
     */
    public int kickUser(String room, String user, String reason, String by) {
        return moderationStub().kickUser(KickUserRequest.newBuilder().setRoom(room).setUser(user)
                .setReason(reason == null ? "" : reason).setBy(by == null ? "" : by).build()).getSessionsRemoved();
    }

    /**
     * Who of a room has received and read the message at {@code offset} of the room's log ({@code Receipts.GetReceipts}):
     * the response's {@code delivered_users}/{@code delivered_count} and {@code read_users}/{@code read_count}.
     */
    public io.dino.api.v1.GetReceiptsResponse roomReceipts(String room, long offset) {
        return receiptsStub().getReceipts(io.dino.api.v1.GetReceiptsRequest.newBuilder().setRoom(room).setOffset(offset).build());
    }

    /**
     * Whether {@code recipient} has received and read the private message at {@code offset} of their inbox (the
     * publish response's position) ({@code Receipts.GetReceipts}): the response's {@code delivered} and {@code read}.
     */
    public io.dino.api.v1.GetReceiptsResponse privateReceipts(String recipient, long offset) {
        return receiptsStub().getReceipts(io.dino.api.v1.GetReceiptsRequest.newBuilder().setUser(recipient).setOffset(offset).build());
    }

    /** The private messages {@code user} has not acknowledged as delivered, oldest first ({@code Receipts.GetUnacked}). */
    public io.dino.api.v1.GetUnackedResponse unacked(String user) {
        return receiptsStub().getUnacked(io.dino.api.v1.GetUnackedRequest.newBuilder().setUser(user).build());
    }

    /** The generated Receipts stub with the API key attached and a fresh deadline. */
    public io.dino.api.v1.ReceiptsGrpc.ReceiptsBlockingStub receiptsStub() {
        return receipts.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Deletes one message of a room, softly ({@code Moderation.DeleteMessages} with a message id): left out of history
     * and recovery on every node until restored; the room gets a {@code deleted} event. {@code by} may be empty
     * ("system"). NOT_FOUND when the room's log does not hold the id. Safe to retry (a repeat changes nothing).
     */
    public DeleteMessagesResponse deleteMessage(String room, String messageId, String by) {
        return moderationStub().deleteMessages(DeleteMessagesRequest.newBuilder().setRoom(room).setMessageId(messageId)
                .setBy(by == null ? "" : by).build());
    }

    /** Deletes every message of {@code user} in the room up to now; the response says up to which position. */
    public DeleteMessagesResponse deleteUserMessages(String room, String user, String by) {
        return moderationStub().deleteMessages(DeleteMessagesRequest.newBuilder().setRoom(room).setUser(user)
                .setBy(by == null ? "" : by).build());
    }

    /** Deletes every message of the room up to now; the response says up to which position. */
    public DeleteMessagesResponse deleteAllMessages(String room, String by) {
        return moderationStub().deleteMessages(DeleteMessagesRequest.newBuilder().setRoom(room).setAll(true)
                .setBy(by == null ? "" : by).build());
    }

    /** Takes back the deletion of one message ({@code Moderation.RestoreMessages}); the room gets {@code restored}. */
    public RestoreMessagesResponse restoreMessage(String room, String messageId, String by) {
        return moderationStub().restoreMessages(RestoreMessagesRequest.newBuilder().setRoom(room).setMessageId(messageId)
                .setBy(by == null ? "" : by).build());
    }

    /** Takes back the deletion of a user's messages in the room (their cutoff and their single deleted messages). */
    public RestoreMessagesResponse restoreUserMessages(String room, String user, String by) {
        return moderationStub().restoreMessages(RestoreMessagesRequest.newBuilder().setRoom(room).setUser(user)
                .setBy(by == null ? "" : by).build());
    }

    /** Takes back every deletion in the room. */
    public RestoreMessagesResponse restoreAllMessages(String room, String by) {
        return moderationStub().restoreMessages(RestoreMessagesRequest.newBuilder().setRoom(room).setAll(true)
                .setBy(by == null ? "" : by).build());
    }

    /**
     * Adds words or phrases to the blacklist ({@code Moderation.AddBlacklistWords}); answers the entries new to it, in
     * normal form (lower case, words joined by single spaces), sorted. Safe to retry.
     */
    public List<String> addBlacklistWords(List<String> words) {
        return moderationStub().addBlacklistWords(io.dino.api.v1.AddBlacklistWordsRequest.newBuilder().addAllWords(words)
                .build()).getAddedList();
    }

    /** Removes words or phrases from the blacklist ({@code Moderation.RemoveBlacklistWords}); answers those that were listed. */
    public List<String> removeBlacklistWords(List<String> words) {
        return moderationStub().removeBlacklistWords(io.dino.api.v1.RemoveBlacklistWordsRequest.newBuilder()
                .addAllWords(words).build()).getRemovedList();
    }

    /** Every blacklist entry, in normal form, sorted ({@code Moderation.ListBlacklistWords}). */
    public List<String> blacklistWords() {
        return moderationStub().listBlacklistWords(io.dino.api.v1.ListBlacklistWordsRequest.getDefaultInstance()).getWordsList();
    }

    /**
     * Bans a user ({@code Moderation.BanUser}) from a room ({@code scope} {@code "room"}), a channel ({@code "channel"})
     * or everywhere ({@code "global"}, {@code target} ignored) for {@code duration} ({@code 30s}, {@code 10m},
     * {@code 2h}, {@code 7d}; empty or {@code permanent}: for ever). Not retried: a repeat would restart the duration.
     */
    public BanUserResponse banUser(String user, String scope, String target, String duration, String reason, String by) {
        BanUserRequest.Builder request = BanUserRequest.newBuilder().setUser(user)
                .setDuration(duration == null ? "" : duration).setReason(reason == null ? "" : reason).setBy(by == null ? "" : by);
        switch (scope) {
            case "room" -> request.setRoom(target);
            case "channel" -> request.setChannel(target);
            case "global" -> request.setGlobal(true);
            default -> throw new IllegalArgumentException("scope must be room, channel or global, not " + scope);
        }
        return moderationStub().banUser(request.build());
    }

    /** Lifts a ban ({@code Moderation.UnbanUser}); true if there was an active one. Retried on UNAVAILABLE. */
    public boolean unbanUser(String user, String scope, String target, String by) {
        UnbanUserRequest.Builder request = UnbanUserRequest.newBuilder().setUser(user).setBy(by == null ? "" : by);
        switch (scope) {
            case "room" -> request.setRoom(target);
            case "channel" -> request.setChannel(target);
            case "global" -> request.setGlobal(true);
            default -> throw new IllegalArgumentException("scope must be room, channel or global, not " + scope);
        }
        return moderationStub().unbanUser(request.build()).getRemoved();
    }

    /**
     * The active bans ({@code Moderation.ListBans}) of a room ({@code "room"}), a channel ({@code "channel"}), the
     * global ones ({@code "global"}) or of a user in every scope ({@code "user"}, {@code target} the user).
     */
    public List<Ban> bans(String scope, String target) {
        ListBansRequest.Builder request = ListBansRequest.newBuilder();
        switch (scope) {
            case "room" -> request.setRoom(target);
            case "channel" -> request.setChannel(target);
            case "global" -> request.setGlobal(true);
            case "user" -> request.setUser(target);
            default -> throw new IllegalArgumentException("scope must be room, channel, global or user, not " + scope);
        }
        return moderationStub().listBans(request.build()).getBansList();
    }

    /** Mutes a user in a room ({@code Moderation.MuteUser}); answers when the mute ends (ms, 0: never). Not retried. */
    public long muteUser(String room, String user, String duration, String reason, String by) {
        return moderationStub().muteUser(MuteUserRequest.newBuilder().setRoom(room).setUser(user)
                .setDuration(duration == null ? "" : duration).setReason(reason == null ? "" : reason)
                .setBy(by == null ? "" : by).build()).getUntilMs();
    }

    /** Lifts a mute ({@code Moderation.UnmuteUser}); true if there was an active one. Retried on UNAVAILABLE. */
    public boolean unmuteUser(String room, String user, String by) {
        return moderationStub().unmuteUser(UnmuteUserRequest.newBuilder().setRoom(room).setUser(user)
                .setBy(by == null ? "" : by).build()).getRemoved();
    }

    /** The active mutes of a room ({@code Moderation.ListMutes}), by user. */
    public List<Mute> mutes(String room) {
        return moderationStub().listMutes(ListMutesRequest.newBuilder().setRoom(room).build()).getMutesList();
    }

    /**
     * Revokes every token of {@code user} issued before now ({@code tokenId} null or empty), or the one with
     * {@code tokenId}, cluster-wide; live sessions with those tokens are closed ({@code TOKEN_REVOKED}). {@code expiresAt}
     * (null: the node's {@code dino.auth.max-token-lifetime}) is when the revoked tokens expire: how long the revocation
     * is kept. Answers how many sessions were closed.
     */
    public int revokeTokens(String user, String tokenId, java.time.Instant expiresAt) {
        return tokensStub().revokeTokens(io.dino.api.v1.RevokeTokensRequest.newBuilder().setUser(user)
                .setTokenId(tokenId == null ? "" : tokenId)
                .setExpiresAtMs(expiresAt == null ? 0 : expiresAt.toEpochMilli()).build()).getSessionsClosed();
    }

    /** The user's revocations in force (the one by user first, then those by token id). */
    public List<io.dino.api.v1.Revocation> listRevocations(String user) {
        return tokensStub().listRevocations(io.dino.api.v1.ListRevocationsRequest.newBuilder().setUser(user).build())
                .getRevocationsList();
    }

    /** The generated Tokens stub with the API key attached and a fresh deadline. */
    public io.dino.api.v1.TokensGrpc.TokensBlockingStub tokensStub() {
        return tokens.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The generated Moderation stub with the API key attached and a fresh deadline. */
    public ModerationGrpc.ModerationBlockingStub moderationStub() {
        return moderation.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Watches the cluster's domain events (docs/events.md): {@code types} (wire names such as {@code joined},
     * {@code message}) and {@code rooms} filter (empty: all), {@code after} says where to start (empty: new events
     * only; {@code "0"}: the oldest kept; an event's id: after it). No deadline: the stream lasts until
     * {@link EventWatch#close()} or the node ends it; not retried (resume with {@link EventWatch#lastId()}).
     */
    public EventWatch watchEvents(List<String> types, List<String> rooms, String after) {
        WatchEventsRequest request = WatchEventsRequest.newBuilder().addAllTypes(types).addAllRooms(rooms)
                .setAfter(after == null ? "" : after).build();
        return new EventWatch(context -> events.watchEvents(request), request.getAfter());
    }

    /** The generated Rooms stub with the API key attached and a fresh deadline. */
    public RoomsGrpc.RoomsBlockingStub roomsStub() {
        return rooms.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The generated Roles stub with the API key attached and a fresh deadline. */
    public RolesGrpc.RolesBlockingStub rolesStub() {
        return roles.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The generated stub with the API key attached and a fresh deadline, for calls this class does not wrap. */
    public BackendGrpc.BackendBlockingStub stub() {
        return stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** gRPC's own retry: only idempotent-by-key methods, only on UNAVAILABLE, with backoff. */
    private static Map<String, Object> retryPolicy(int maxAttempts) {
        Map<String, Object> retry = Map.of(
                "maxAttempts", (double) maxAttempts,
                "initialBackoff", "0.1s",
                "maxBackoff", "2s",
                "backoffMultiplier", 2.0,
                "retryableStatusCodes", List.of("UNAVAILABLE"));
        List<Map<String, Object>> names = List.of(
                Map.of("service", BackendGrpc.SERVICE_NAME, "method", "PublishToRoom"),
                Map.of("service", BackendGrpc.SERVICE_NAME, "method", "PublishToUsers"),
                Map.of("service", BackendGrpc.SERVICE_NAME, "method", "ListOnlineUsers"),
                Map.of("service", BackendGrpc.SERVICE_NAME, "method", "GetPresence"),
                Map.of("service", BackendGrpc.SERVICE_NAME, "method", "ListRoomMembers"),
                Map.of("service", BackendGrpc.SERVICE_NAME, "method", "ListRoomsMembers"),
                Map.of("service", BackendGrpc.SERVICE_NAME, "method", "ListUserRooms"),
                Map.of("service", BackendGrpc.SERVICE_NAME, "method", "MintToken"),
                // a grant or revoke repeated leaves the same roles (its `changed` may then say false)
                Map.of("service", RolesGrpc.SERVICE_NAME, "method", "GrantRole"),
                Map.of("service", RolesGrpc.SERVICE_NAME, "method", "RevokeRole"),
                Map.of("service", RolesGrpc.SERVICE_NAME, "method", "ListUserRoles"),
                Map.of("service", RolesGrpc.SERVICE_NAME, "method", "ListRoleHolders"),
                // reads, and changes that leave the same state when repeated (not creates and removes: a retry
                // of one that landed would answer ALREADY_EXISTS or NOT_FOUND)
                Map.of("service", RoomsGrpc.SERVICE_NAME, "method", "UpdateChannel"),
                Map.of("service", RoomsGrpc.SERVICE_NAME, "method", "ListChannels"),
                Map.of("service", RoomsGrpc.SERVICE_NAME, "method", "SetChannelAcl"),
                Map.of("service", RoomsGrpc.SERVICE_NAME, "method", "GetChannelAcl"),
                Map.of("service", RoomsGrpc.SERVICE_NAME, "method", "RenameRoom"),
                Map.of("service", RoomsGrpc.SERVICE_NAME, "method", "UpdateRoom"),
                Map.of("service", RoomsGrpc.SERVICE_NAME, "method", "GetRoom"),
                Map.of("service", RoomsGrpc.SERVICE_NAME, "method", "ListRooms"),
                // reads
                Map.of("service", io.dino.api.v1.ReceiptsGrpc.SERVICE_NAME, "method", "GetReceipts"),
                Map.of("service", io.dino.api.v1.ReceiptsGrpc.SERVICE_NAME, "method", "GetUnacked"),
                // lifting a ban or mute repeated leaves none (its `removed` may then say false); lists are reads
                Map.of("service", ModerationGrpc.SERVICE_NAME, "method", "UnbanUser"),
                Map.of("service", ModerationGrpc.SERVICE_NAME, "method", "ListBans"),
                Map.of("service", ModerationGrpc.SERVICE_NAME, "method", "UnmuteUser"),
                Map.of("service", ModerationGrpc.SERVICE_NAME, "method", "ListMutes"));
        return Map.of("methodConfig", List.of(Map.of("name", names, "retryPolicy", retry)));
    }

    public static final class Builder {
        private final String host;
        private final int port;
        private String apiKey;
        private Duration deadline = Duration.ofSeconds(5);
        private int maxAttempts = 3;
        private boolean plaintext = true;
        private Path trustedCertificates;

        private Builder(String host, int port) {
            this.host = Objects.requireNonNull(host);
            this.port = port;
        }

        /** The key sent as {@code x-api-key}; required. */
        public Builder apiKey(String apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey);
            return this;
        }

        /** Deadline of each call (default 5 s). */
        public Builder deadline(Duration deadline) {
            this.deadline = Objects.requireNonNull(deadline);
            return this;
        }

        /** Attempts per retryable call, including the first (default 3; gRPC caps it at 5). */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Use TLS instead of plaintext (for a node behind a TLS-terminating endpoint). */
        public Builder useTls() {
            this.plaintext = false;
            return this;
        }

        /**
         * Use TLS and trust only the certificates in this PEM file (e.g. a private CA's, or the self-signed
         * certificate of a test proxy) instead of the JVM's default trust store; the server's name must
         * still match the certificate. Implies {@link #useTls()}.
         */
        public Builder trustedCertificates(Path pemFile) {
            this.trustedCertificates = Objects.requireNonNull(pemFile);
            this.plaintext = false;
            return this;
        }

        public DinoBackendClient build() {
            if (apiKey == null) {
                throw new IllegalStateException("an API key is required (apiKey(...))");
            }
            return new DinoBackendClient(this);
        }
    }
}
