package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.Nodes;
import io.dino.gateway.engine.NodesContract;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The memory engine's node listing passes the contract: one node, its load read at each call. */
class MemoryNodesTest extends NodesContract {

    @Override
    protected Nodes newNode(String node) {
        return new MemoryNodes();
    }

    @Test
    void theLoadIsReadAtEachCall() {
        Nodes nodes = newNode("n1");
        int[] sessions = {7};
        nodes.reportFrom(() -> new Nodes.NodeLoad("n1", "", 0, 0, sessions[0], 0, 0));
        assertThat(nodes.live().getFirst().sessions()).isEqualTo(7);
        sessions[0] = 8;
        assertThat(nodes.live().getFirst().sessions()).isEqualTo(8);
    }
}
