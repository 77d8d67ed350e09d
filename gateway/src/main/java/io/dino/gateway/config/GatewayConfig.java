package io.dino.gateway.config;

import io.dino.gateway.auth.AuthSettings;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Everything a node reads from the {@code dino} section of its configuration, read once at start.
 * docs/configuration.md documents every key; {@link ConfigLoader} holds the defaults.
 *
 * @param nodeId   this node's id in the cluster (random when not set)
 * @param engine   which shared-state engine to run on
 * @param auth     client token settings
 * @param apiKeys  keys backend services present on the gRPC API
 * @param wsPath   HTTP path of the WebSocket endpoint
 * @param allowedOrigins browser origins allowed to open WebSockets; empty allows only the node's own origin
 * @param limits   per-session and per-message limits
 * @param history  log retention and history query bounds
 * @param shutdown graceful shutdown pacing
 * @param redis    where the redis engine keeps shared state (used when engine is REDIS)
 * @param cluster  node liveness (redis engine)
 * @param managementPort port of a separate listener for the {@code /observe} endpoints (0: any free port);
 *                       empty: they are served on the main port
 * @param grpc     the backend API's own listener
 * @param devMode  whether this is a development node ({@code config/dino-dev.yaml}): only then does the demo
 *                 page's token endpoint mint tokens
 * @param demo     the demo chat page
 * @param admin    the admin console ({@code dino.admin})
 * @param presence who may go invisible, and the single-session rule
 * @param rooms    channels and rooms: open rooms, names, limits on users' own rooms
 * @param receipts delivered and read receipts: who is told, how much a query answers
 * @param abuse    the admin room and the blacklist's refresh ({@code dino.moderation})
 * @param events   domain events out to other services (docs/events.md)
 * @param moderation kicks, bans and mutes
 * @param rates    rate limits of sessions, users and API keys ({@code dino.limits.rate})
 * @param logFormat how logs are written ({@code dino.log.format})
 * @param trustedProxies proxies whose forwarding headers name the client ({@code dino.trusted-proxies})
 */
public record GatewayConfig(String nodeId, EngineKind engine, AuthSettings auth, List<String> apiKeys, String wsPath,
                            Set<String> allowedOrigins,
                            Limits limits, History history, Shutdown shutdown, Redis redis, Cluster cluster,
                            java.util.OptionalInt managementPort, Grpc grpc, boolean devMode, Demo demo, Admin admin,
                            Presence presence, Rooms rooms, Receipts receipts, Abuse abuse, Events events, Moderation moderation,
                            io.dino.gateway.limits.RateSettings rates, LogFormat logFormat, TrustedProxies trustedProxies) {

    public GatewayConfig {
        apiKeys = List.copyOf(apiKeys);
        allowedOrigins = Set.copyOf(allowedOrigins);
    }

    /** MEMORY: one node, state in this process. REDIS: any number of nodes sharing one Redis. */
    public enum EngineKind { MEMORY, REDIS }

    /** dino.log.format: JSON lines (production) or human-readable text lines (a terminal, development). */
    public enum LogFormat { JSON, TEXT }

    /**
     * @param maxFrameBytes       largest accepted WebSocket text frame (a bigger one gets FRAME_TOO_LARGE)
     * @param maxMessageBytes     largest message body, as JSON text
     * @param maxRoomsPerSession  rooms one session may be in at once
     * @param outboundQueueFrames frames queued for one session before it counts as a slow consumer
     * @param outboundQueueBytes  characters of frames queued for one session before it counts as a slow consumer
     *                            (the frame being written included), so large replies cannot fill the heap
     * @param maxReplyBytes       most bytes of message bodies one history page or recovery carries
     * @param authTimeout         time a new socket has to send {@code connect}
     * @param pingInterval        how often the server pings each socket; the pongs keep idle sessions from
     *                            being closed by {@code server.idle-connection-timeout}
     * @param pingTimeout         how long a ping may go unanswered before the socket counts as dead and is dropped
     * @param handshakeTimeout    time a new TCP connection has to send a complete HTTP request head (a WebSocket
     *                            upgrade request included) before the node closes it
     * @param writeDelay          how long frames for a session may wait for more before they are written (fewer
     *                            socket writes for more latency); zero writes at once
     */
    public record Limits(int maxFrameBytes, int maxMessageBytes, int maxRoomsPerSession, int outboundQueueFrames,
                         int outboundQueueBytes, int maxReplyBytes, Duration authTimeout, Duration pingInterval,
                         Duration pingTimeout, Duration handshakeTimeout, Duration writeDelay) {
    }

    /**
     * @param retainedPerLog    publications each room or user log keeps for history and recovery
     * @param defaultLimit      messages a history query returns when it names no limit
     * @param maxLimit          most messages one history query may return
     * @param idempotencyWindow how long an idempotency key is remembered
     * @param maxAge            publications older than this leave the logs, and a log idle for longer goes
     *                          as a whole (after a margin, see Retention); zero keeps them
     * @param recoveryLimit     most messages one recovery replays; a bigger gap answers recovered: false
     * @param memoryBudget      bytes all logs of the memory engine keep together; beyond it the oldest messages go
     */
    public record History(int retainedPerLog, int defaultLimit, int maxLimit, Duration idempotencyWindow,
                          Duration maxAge, int recoveryLimit, long memoryBudget) {
    }

    /**
     * @param uri                redis:// or rediss:// URI (password and database included)
     * @param prefix             first part of every key
     * @param commandTimeout     longest wait for one Redis command
     * @param inboxMaxLength     entries kept in a node's inbox stream
     * @param clusterNodes       seed URIs of a Redis Cluster; empty: the standalone Redis at {@code uri}
     * @param clusterRefresh     how often the cluster client re-reads the cluster topology
     * @param waitReplicas       replicas that must have a publication before it is acknowledged (0: none)
     * @param waitTimeout        how long a publish waits for them
     */
    public record Redis(String uri, String prefix, Duration commandTimeout, int inboxMaxLength,
                        java.util.List<String> clusterNodes, Duration clusterRefresh, int waitReplicas, Duration waitTimeout) {
    }

    /**
     * @param heartbeatInterval how often a node reports that it is alive
     * @param nodeTimeout       after this long without a heartbeat a node counts as dead and its sessions are removed
     */
    public record Cluster(Duration heartbeatInterval, Duration nodeTimeout) {
    }

    /**
     * @param port                  port of the gRPC listener (0: any free port); empty: the main port + 1, or any
     *                              free port when the main port is itself chosen at random
     * @param maxMessageBytes       largest request message accepted (a bigger one gets RESOURCE_EXHAUSTED)
     * @param maxCallsPerConnection calls one connection may have open at once (HTTP/2 MAX_CONCURRENT_STREAMS);
     *                              clients queue the rest
     * @param tls                   certificate and key to serve TLS with; empty: plaintext
     */
    public record Grpc(java.util.OptionalInt port, int maxMessageBytes, int maxCallsPerConnection,
                       java.util.Optional<Tls> tls) {
    }

    /**
     * @param certificateChain PEM file: the server's certificate, then any intermediates
     * @param privateKey       PEM file: the certificate's private key, PKCS#8 ({@code BEGIN PRIVATE KEY})
     */
    public record Tls(java.nio.file.Path certificateChain, java.nio.file.Path privateKey) {
    }

    /**
     * @param enabled serve the demo chat page at {@code /demo/} (and its token endpoint, which works only in dev mode)
     */
    /**
     * @param invisibleForAll every user may set the status {@code invisible} ({@code dino.presence.invisible-for-all});
     *                        otherwise only operators (super users, global moderators) may
     * @param singleSession   a user's new {@code connect} closes the user's older sessions on every node
     *                        ({@code dino.sessions.single})
     */
    public record Presence(boolean invisibleForAll, boolean singleSession) {
    }

    /**
     * @param openRooms          a room id nobody registered is an open room of the default channel (as rooms were
     *                           before channels); false: only registered rooms exist (NO_SUCH_ROOM otherwise)
     * @param maxNameLength      longest room name (display name), in characters
     * @param reservedNames      names only operators and backends may give rooms (compared ignoring case)
     * @param maxEphemeralPerUser ephemeral rooms one user may own at once
     * @param ephemeralLinger    how long an ephemeral room stays after its last member left
     */
    public record Rooms(boolean openRooms, int maxNameLength, Set<String> reservedNames, int maxEphemeralPerUser,
                        Duration ephemeralLinger) {
        public Rooms {
            reservedNames = Set.copyOf(reservedNames);
        }
    }

    public record Demo(boolean enabled) {
    }

    /**
     * @param enabled serve the admin console at {@code /admin/} and its JSON API at {@code /admin/api/} on the main
     *                port (operators and API keys only); off: {@code /admin/**} answers 404
     */
    public record Admin(boolean enabled) {
    }

    /**
     * @param drainPeriod sessions are closed spread over this period, so clients don't reconnect all at once
     * @param grpcGrace   how long in-flight gRPC calls may take to finish before the server stops
     */
    public record Shutdown(Duration drainPeriod, Duration grpcGrace) {
    }

    /**
     * @param roomRelay           whether a receipt in a room is told to the room's sessions ({@code receipt} event);
     *                            false: stored only (queries answer it)
     * @param roomRelayMaxMembers rooms with more members than this store receipts without telling the room
     *                            (every member's receipt to every member grows with the square of the room)
     * @param queryMaxUsers       most users a receipts query lists per kind (the counts are always whole)
     */
    public record Receipts(boolean roomRelay, int roomRelayMaxMembers, int queryMaxUsers) {
    }

    /**
     * @param adminRoom        the room reports are posted to ({@code dino.moderation.admin-room})
     * @param blacklistRefresh the longest a blacklist change made on another node takes to be matched on this one
     *                         ({@code dino.moderation.blacklist-refresh})
     */
    public record Abuse(String adminRoom, Duration blacklistRefresh) {
    }

    /**
     * Domain events out (docs/events.md).
     *
     * @param enabled     whether this node appends the events it observes (WatchEvents works either way)
     * @param stream      the Redis stream's key; empty: {@code <dino.redis.prefix>:events}
     * @param maxLength   entries the log keeps at least (Redis trims with {@code MAXLEN ~}, so a little more)
     * @param queue       events waiting for the Redis appender at most; more are dropped (and counted)
     * @param maxWatchers WatchEvents streams one node serves at once
     */
    public record Events(boolean enabled, String stream, long maxLength, int queue, int maxWatchers) {
    }

    /**
     * @param kickBan how long a kick also bans the user from the room ({@code dino.moderation.kick-ban}); zero: a
     *                kick bans nobody
     */
    public record Moderation(Duration kickBan) {
    }
}
