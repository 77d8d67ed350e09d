package io.dino.gateway.engine.redis;

import io.dino.gateway.cluster.RedisServer;
import io.dino.gateway.engine.Directory;
import io.dino.gateway.engine.Directory.Outcome;
import io.dino.gateway.engine.DirectoryContract;
import io.dino.gateway.engine.Engine;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis engine's directory passes the directory contract against a real redis-server (each test in a
 * keyspace of its own), plus what only a directory of several steps and several nodes has.
 */
class RedisDirectoryTest extends DirectoryContract {

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
    void closeEngines() throws Exception {
        for (AutoCloseable engine : opened) {
            engine.close();
        }
    }

    @Override
    protected Directory newDirectory() {
        prefix = "d" + PREFIXES.incrementAndGet();
        return engine("node-a", prefix).directory();
    }

    private Engine engine(String node, String keyPrefix) {
        Engine engine = RedisEngine.start(node, new RedisSettings(redis.uri(), keyPrefix, Duration.ofSeconds(2), 100,
                Duration.ZERO, Duration.ofMinutes(5), 10_000, Duration.ofMillis(200), Duration.ofSeconds(30)),
                InstantSource.system());
        opened.add(engine);
        return engine;
    }

    /** A directory over the test's keyspace whose stale claims may be taken over at once. */
    private Directory withoutGrace() {
        Connection connection = Connection.standalone(client.connect());
        opened.add(connection);
        return new RedisDirectory(new Keys(prefix), connection, Duration.ofSeconds(2), Duration.ZERO);
    }

    @Test
    void theRecordsLiveUnderTheDocumentedKeys() {
        directory.createChannel(channel("games", "Games", 1));
        directory.createRoom(room("chess", "games", "Chess"));
        assertThat(direct.hget(prefix + ":{r:chess}:room", "name")).isEqualTo("Chess");
        assertThat(direct.exists(prefix + ":{r:chess}:meta")).isZero();  // the log's hash, untouched
        assertThat(direct.hget(prefix + ":{c:games}:meta", "rule.join")).isEqualTo("role=member");
        assertThat(direct.hget(prefix + ":{c:games}:names", "chess")).isEqualTo("chess");
        assertThat(direct.smembers(prefix + ":{c:games}:rooms")).containsExactly("chess");
        assertThat(direct.smembers(prefix + ":channels")).containsExactly("games");
    }

    @Test
    void aClaimWhoseRoomIsGoneDoesNotHoldTheName() {
        directory.createRoom(room("old", "default", "Chess"));
        // a crash between the steps of a remove: the record is gone, the claim stays
        direct.del(prefix + ":{r:old}:room");
        assertThat(direct.hget(prefix + ":{c:default}:names", "chess")).isEqualTo("old");
        assertThat(directory.roomNamed("default", "Chess")).isEmpty();

        // younger than the grace period (30 s here): a create could still be between its steps
        assertThat(directory.createRoom(room("new", "default", "CHESS"))).isEqualTo(Outcome.TAKEN);

        Directory impatient = withoutGrace();
        assertThat(impatient.createRoom(room("new", "default", "CHESS"))).isEqualTo(Outcome.DONE);
        assertThat(directory.roomNamed("default", "chess")).contains("new");
        assertThat(directory.roomsOf("default")).containsExactly("new");
    }

    @Test
    void aClaimLeftByAnInterruptedRenameDoesNotHoldTheName() {
        directory.createRoom(room("a", "default", "Alpha"));
        directory.createRoom(room("b", "default", "Beta"));
        // a rename of b to Gamma that claimed the name and never wrote it into the record
        direct.hset(prefix + ":{c:default}:names", "gamma", "b");
        direct.hset(prefix + ":{c:default}:claims", "gamma", "0");
        assertThat(directory.roomNamed("default", "Gamma")).isEmpty();

        assertThat(withoutGrace().renameRoom("a", "Gamma")).isEqualTo(Outcome.DONE);
        assertThat(directory.roomNamed("default", "gamma")).contains("a");
        assertThat(directory.roomNamed("default", "beta")).contains("b");
        assertThat(directory.roomsOf("default")).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void twoNodesSeeEachOthersChanges() {
        Directory other = engine("node-b", prefix).directory();
        directory.createChannel(channel("games", "Games", 1));
        assertThat(other.channel("games")).isPresent();
        assertThat(other.createRoom(room("chess", "games", "Chess"))).isEqualTo(Outcome.DONE);
        assertThat(directory.room("chess")).contains(room("chess", "games", "Chess"));
        assertThat(directory.createRoom(room("chess-2", "games", "chess"))).isEqualTo(Outcome.TAKEN);
        assertThat(directory.renameRoom("chess", "Go")).isEqualTo(Outcome.DONE);
        assertThat(other.roomNamed("games", "go")).contains("chess");
        assertThat(other.removeChannel("games")).isEqualTo(Outcome.TAKEN);
        assertThat(other.removeRoom("chess")).isEqualTo(Outcome.DONE);
        assertThat(directory.room("chess")).isEmpty();
        assertThat(directory.removeChannel("games")).isEqualTo(Outcome.DONE);
        assertThat(other.channels()).extracting(Directory.ChannelRecord::id).containsExactly("default");
    }
}
