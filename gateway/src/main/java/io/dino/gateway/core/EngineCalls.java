package io.dino.gateway.core;

import io.dino.gateway.engine.EngineUnavailableException;

import java.util.function.Supplier;

/** Engine calls made by the core: an engine failure becomes UNAVAILABLE (retry), never success. */
final class EngineCalls {

    private EngineCalls() {
    }

    static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (EngineUnavailableException e) {
            throw new DinoException(ErrorCode.UNAVAILABLE, "the message store is unavailable; retry: " + e.getMessage());
        }
    }

    static void run(Runnable call) {
        call(() -> {
            call.run();
            return null;
        });
    }
}
