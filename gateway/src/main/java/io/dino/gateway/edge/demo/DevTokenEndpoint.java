package io.dino.gateway.edge.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dino.gateway.auth.TokenMinter;
import io.dino.gateway.core.DinoException;
import io.dino.gateway.core.ErrorCode;
import io.dino.gateway.core.Names;
import io.dino.gateway.edge.json.JsonBodies;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /demo/token}: mints a client token for any user name, so that the demo page can log in without a
 * backend. UNSAFE FOR PRODUCTION — anyone who reaches it can be anyone — so it mints only on a node whose
 * configuration says {@code dino.dev-mode: true} (only {@code config/dino-dev.yaml} does) and answers 403
 * otherwise.
 * <pre>
 *   request:  {"user": "alice", "ttl": 60}    (ttl: optional seconds, at most dino.auth.token-ttl)
 *   200:      {"token": "...", "expiresAt": 1764322800000}
 *   400/403:  {"code": 4003, "name": "INVALID_VALUE", "message": "..."}
 * </pre>
 */
final class DevTokenEndpoint implements Handler {

    /** A request is a user name and a number: anything longer is not one. */
    static final int MAX_BODY_BYTES = 4_096;

    private static final Header NO_STORE = HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-store");

    private final TokenMinter minter;
    private final boolean devMode;
    private final Duration maxTtl;
    private final ObjectMapper mapper;

    DevTokenEndpoint(TokenMinter minter, boolean devMode, Duration maxTtl, ObjectMapper mapper) {
        this.minter = minter;
        this.devMode = devMode;
        this.maxTtl = maxTtl;
        this.mapper = mapper;
    }

    /** Whether this endpoint mints tokens (dev mode and an HMAC secret to sign with). */
    boolean mints() {
        return devMode && minter.canMint();
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        res.header(NO_STORE);
        if (!devMode) {
            // read nothing: a refused request's body is of no interest
            error(res, Status.FORBIDDEN_403, new DinoException(ErrorCode.NOT_ALLOWED,
                    "the demo token endpoint mints tokens only on a development node (dino.dev-mode: true, as in "
                            + "config/dino-dev.yaml); it is unsafe for production, where tokens come from your backend "
                            + "(MintToken) or your identity provider"));
            return;
        }
        if (!minter.canMint()) {
            error(res, Status.FORBIDDEN_403, new DinoException(ErrorCode.NOT_ALLOWED,
                    "the node has no dino.auth.hmac-secrets to sign tokens with"));
            return;
        }
        try {
            JsonNode request = JsonBodies.objectBody(mapper, req.content().inputStream(), MAX_BODY_BYTES,
                    "a JSON object such as {\"user\": \"alice\"}");
            String user = user(request.get("user"));
            Duration ttl = ttl(request.get("ttl"));
            TokenMinter.MintedToken minted = minter.mint(user, Set.of(), Map.of(), ttl);
            ObjectNode reply = mapper.createObjectNode()
                    .put("token", minted.token())
                    .put("expiresAt", minted.expiresAt().toEpochMilli());
            res.header(HeaderValues.CONTENT_TYPE_JSON);
            res.send(mapper.writeValueAsString(reply));
        } catch (DinoException e) {
            error(res, Status.BAD_REQUEST_400, e);
        } catch (IOException e) {
            error(res, Status.BAD_REQUEST_400, new DinoException(ErrorCode.MALFORMED_FRAME,
                    "the request body could not be read"));
        }
    }

    private static String user(JsonNode user) {
        if (user == null || user.isNull()) {
            throw new DinoException(ErrorCode.MISSING_FIELD, "'user' is required");
        }
        if (!user.isTextual()) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "'user' must be a string");
        }
        return Names.user(user.textValue());
    }

    /** Duration.ZERO (the minter's default, dino.auth.token-ttl) when absent. */
    private Duration ttl(JsonNode ttl) {
        if (ttl == null || ttl.isNull()) {
            return Duration.ZERO;
        }
        if (!ttl.canConvertToExactIntegral() || ttl.asLong() < 1 || ttl.asLong() > maxTtl.toSeconds()) {
            throw new DinoException(ErrorCode.INVALID_VALUE,
                    "'ttl' must be a whole number of seconds from 1 to " + maxTtl.toSeconds() + " (dino.auth.token-ttl)");
        }
        return Duration.ofSeconds(ttl.asLong());
    }

    private void error(ServerResponse res, Status status, DinoException e) {
        ObjectNode error = mapper.createObjectNode()
                .put("code", e.code().code())
                .put("name", e.code().name())
                .put("message", e.getMessage());
        res.status(status);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        try {
            res.send(mapper.writeValueAsString(error));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
