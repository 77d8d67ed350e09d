package io.dino.gateway.edge.ws;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dino.gateway.auth.TokenVerifier;
import io.dino.gateway.config.GatewayConfig;
import io.dino.gateway.config.TrustedProxies;
import io.dino.gateway.core.Operations;
import io.dino.gateway.limits.SessionLimits;
import io.dino.gateway.ops.GatewayMetrics;

import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/** What every connection of the endpoint shares. */
record WsContext(Operations operations, Commands commands, Frames frames, ObjectMapper mapper, TokenVerifier tokens,
                 GatewayConfig.Limits limits, GatewayMetrics metrics, Executor writers,
                 WriteScheduler writeScheduler, ScheduledExecutorService timers, Set<WsConnection> connections,
                 AtomicBoolean draining, SessionLimits rateLimits, TrustedProxies trustedProxies) {
}
