package io.dino.gateway.engine;

import io.dino.gateway.engine.Nodes.NodeLoad;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What every engine's node listing does; each engine's test supplies the first node of a cluster of its own. */
public abstract class NodesContract {

    protected static final Duration DEADLINE = Duration.ofSeconds(10);

    /** The listing of a node named {@code node}, the first of a new, empty cluster. */
    protected abstract Nodes newNode(String node);

    @Test
    void aNodeIsListedWithWhatItLastReported() {
        Nodes nodes = newNode("n1");
        nodes.reportFrom(() -> new NodeLoad("n1", "1.2.3", 1_000, System.currentTimeMillis(), 3, 2, 5));

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(nodes.live()).singleElement().satisfies(load -> {
            assertThat(load.node()).isEqualTo("n1");
            assertThat(load.version()).isEqualTo("1.2.3");
            assertThat(load.startedAt()).isEqualTo(1_000);
            assertThat(load.reportedAt()).isPositive();
            assertThat(load.sessions()).isEqualTo(3);
            assertThat(load.users()).isEqualTo(2);
            assertThat(load.rooms()).isEqualTo(5);
        }));
    }

    @Test
    void theListingFollowsTheLoadAsItChanges() {
        Nodes nodes = newNode("n1");
        AtomicInteger sessions = new AtomicInteger(1);
        nodes.reportFrom(() -> new NodeLoad("n1", "", 1_000, System.currentTimeMillis(), sessions.get(), 1, 1));
        await().atMost(DEADLINE).until(() -> nodes.live().getFirst().sessions() == 1);

        sessions.set(42);
        await().atMost(DEADLINE).until(() -> nodes.live().getFirst().sessions() == 42);
    }
}
