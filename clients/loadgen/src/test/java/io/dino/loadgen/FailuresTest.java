package io.dino.loadgen;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;

import io.dino.client.DinoException;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FailuresTest {

    @Test
    void groupsFailuresByShortReason() {
        Failures failures = new Failures();
        failures.add("connect", new CompletionException(new DinoException(4011, "INVALID_TOKEN", "bad signature")));
        failures.add("connect", new DinoException(4011, "INVALID_TOKEN", "expired signature"));
        failures.add("mint", Status.UNAUTHENTICATED.withDescription("bad api key").asRuntimeException());
        failures.add("connect", new CompletionException(new ConnectException("Connection refused")));

        assertThat(failures.total()).isEqualTo(4);
        assertThat(failures.counts()).containsExactly(
                java.util.Map.entry("connect: 4011 INVALID_TOKEN", 2L),
                java.util.Map.entry("connect: ConnectException Connection refused", 1L),
                java.util.Map.entry("mint: gRPC UNAUTHENTICATED bad api key", 1L));
    }
}
