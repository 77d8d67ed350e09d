package io.dino.gateway;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.awaitility.Awaitility.await;

/**
 * A {@code grpc.health.v1.Health/Watch} call held open on a channel: the server never ends it by itself,
 * so it is a call in flight for as long as a test keeps it, and anything that kills the connection ends it.
 */
public final class HealthWatch implements AutoCloseable {

    private final List<ServingStatus> statuses = new CopyOnWriteArrayList<>();
    private final AtomicReference<Status> ended = new AtomicReference<>();
    private final AtomicReference<ClientCallStreamObserver<HealthCheckRequest>> call = new AtomicReference<>();

    private HealthWatch() {
    }

    /** Starts watching the node's overall status and waits until the first status arrived. */
    public static HealthWatch open(Channel channel) {
        HealthWatch watch = new HealthWatch();
        HealthGrpc.newStub(channel).watch(HealthCheckRequest.newBuilder().setService("").build(), watch.observer());
        await().atMost(TIMEOUT).until(() -> !watch.statuses.isEmpty() || watch.ended.get() != null);
        return watch;
    }

    public void awaitStatus(ServingStatus status) {
        await().atMost(TIMEOUT).until(() -> statuses.contains(status) || ended.get() != null);
    }

    public List<ServingStatus> statuses() {
        return statuses;
    }

    /** How the call ended, if it did (a watch the test did not cancel should not have). */
    public Optional<Status> ended() {
        return Optional.ofNullable(ended.get());
    }

    @Override
    public void close() {
        ClientCallStreamObserver<HealthCheckRequest> requests = call.get();
        if (requests != null) {
            requests.cancel("the test is done watching", null);
        }
    }

    private ClientResponseObserver<HealthCheckRequest, HealthCheckResponse> observer() {
        return new ClientResponseObserver<>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<HealthCheckRequest> requests) {
                call.set(requests);
            }

            @Override
            public void onNext(HealthCheckResponse response) {
                statuses.add(response.getStatus());
            }

            @Override
            public void onError(Throwable error) {
                ended.compareAndSet(null, Status.fromThrowable(error));
            }

            @Override
            public void onCompleted() {
                ended.compareAndSet(null, Status.OK);
            }
        };
    }
}
