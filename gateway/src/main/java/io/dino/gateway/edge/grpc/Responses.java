package io.dino.gateway.edge.grpc;

import io.dino.gateway.core.DinoException;
import io.dino.gateway.core.ErrorCode;
import io.dino.gateway.ops.GatewayMetrics;
import io.grpc.stub.StreamObserver;

import java.util.function.Supplier;

/**
 * How every unary RPC of the backend API answers: the call's result, or its Dino error as a gRPC status
 * ({@link GrpcErrors}), or INTERNAL for anything unexpected (logged with a stack trace; the client gets no details).
 */
final class Responses {

    private final GatewayMetrics metrics;
    private final System.Logger log;
    private final String service;

    Responses(GatewayMetrics metrics, Class<?> service) {
        this.metrics = metrics;
        this.log = System.getLogger(service.getName());
        this.service = service.getSimpleName();
    }

    <T> void respond(StreamObserver<T> response, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (DinoException e) {
            metrics.error(e.code());
            response.onError(GrpcErrors.toStatus(e));
            return;
        } catch (io.grpc.StatusRuntimeException e) {
            response.onError(e);
            return;
        } catch (RuntimeException e) {
            log.log(System.Logger.Level.ERROR, service + " call failed", e);
            metrics.error(ErrorCode.INTERNAL);
            response.onError(GrpcErrors.toStatus(new DinoException(ErrorCode.INTERNAL, "internal error")));
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }
}
