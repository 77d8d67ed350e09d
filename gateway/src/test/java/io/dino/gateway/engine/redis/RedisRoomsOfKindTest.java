package io.dino.gateway.engine.redis;

import io.dino.gateway.cluster.RedisServer;
import io.dino.gateway.engine.Directory;
import io.dino.gateway.engine.Directory.RoomKind;
import io.dino.gateway.engine.Directory.RoomRecord;
import io.dino.gateway.engine.RoomsOfKindContract;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis engine's directory lists the rooms of a kind from its per-kind sorted set, against a real
 * redis-server, and copes with what an interrupted create or removal leaves in that index.
 */
class RedisRoomsOfKindTest extends RoomsOfKindContract {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static RedisServer redis;
    private static RedisClient client;
    private static RedisCommands<String, String> direct;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private String prefix;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
        client = RedisClient.create(redis.uri());
        direct = client.connect().sync();
    }

    @AfterAll
    static void stopRedis() {
        client.shutdown();
        redis.close();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : opened) {
            resource.close();
        }
    }

    @Override
    protected Directory newDirectory() {
        prefix = "k" + PREFIXES.incrementAndGet();
        return directory(Duration.ofSeconds(30));
    }

    private Directory directory(Duration claimGrace) {
        Connection connection = Connection.standalone(client.connect());
        opened.add(connection);
        return new RedisDirectory(new Keys(prefix), connection, Duration.ofSeconds(2), claimGrace);
    }

    @Test
    void theIndexIsOneSortedSetPerKindScoredByCreationTime() {
        directory.createRoom(room("r-chat", "default", "Chat", RoomKind.EPHEMERAL));
        assertThat(direct.zscore(prefix + ":kind-rooms:ephemeral", "r-chat")).isEqualTo(1_700_000_000_000d);
        directory.removeRoom("r-chat");
        assertThat(direct.exists(prefix + ":kind-rooms:ephemeral")).isZero();
    }

    @Test
    void anEntryWithoutItsRoomIsSkippedAndDroppedOnceOlderThanTheGrace() {
        RoomRecord live = room("r-live", "default", "Live", RoomKind.EPHEMERAL);
        directory.createRoom(live);
        // a removal interrupted after deleting the record, and a create still before writing its record
        direct.zadd(prefix + ":kind-rooms:ephemeral", 1_600_000_000_000d, "r-gone");
        direct.zadd(prefix + ":kind-rooms:ephemeral", (double) System.currentTimeMillis(), "r-coming");

        assertThat(directory.roomsOfKind(RoomKind.EPHEMERAL)).containsExactly(live);
        assertThat(direct.zrange(prefix + ":kind-rooms:ephemeral", 0, -1))
                .as("r-gone is years old, r-coming may still get its record")
                .containsExactlyInAnyOrder("r-live", "r-coming");
    }

    @Test
    void anEntryNamingARoomOfAnotherKindIsSkipped() {
        directory.createRoom(room("r-x", "default", "X", RoomKind.STATIC));
        direct.zadd(prefix + ":kind-rooms:ephemeral", (double) System.currentTimeMillis(), "r-x");
        assertThat(directory.roomsOfKind(RoomKind.EPHEMERAL)).isEmpty();
        assertThat(directory.roomsOfKind(RoomKind.STATIC)).extracting(RoomRecord::id).containsExactly("r-x");
    }

    @Test
    void aStaleEntryRescoredByANewCreateIsKept() {
        // the prune drops an entry only at the score it read: run it with a score the entry no longer has
        direct.zadd(prefix + ":kind-rooms:ephemeral", 2d, "r-again");
        Object dropped = direct.eval(Scripts.load("kind-prune.lua").source(), io.lettuce.core.ScriptOutputType.INTEGER,
                new String[]{prefix + ":kind-rooms:ephemeral"}, "r-again", "1");
        assertThat(dropped).isEqualTo(0L);
        assertThat(direct.zrange(prefix + ":kind-rooms:ephemeral", 0, -1)).containsExactly("r-again");
    }
}
