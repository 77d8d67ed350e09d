package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.Nodes;

import java.util.List;
import java.util.function.Supplier;

/** The memory engine's one node: this one, its load read at each call. */
public final class MemoryNodes implements Nodes {

    private volatile Supplier<NodeLoad> source = () -> NodeLoad.unknown("local");

    @Override
    public void reportFrom(Supplier<NodeLoad> source) {
        this.source = source;
    }

    @Override
    public List<NodeLoad> live() {
        return List.of(source.get());
    }
}
