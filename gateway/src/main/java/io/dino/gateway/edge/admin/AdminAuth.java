package io.dino.gateway.edge.admin;

import io.dino.gateway.auth.ApiKeys;
import io.dino.gateway.auth.Principal;
import io.dino.gateway.auth.TokenRejectedException;
import io.dino.gateway.auth.TokenVerifier;
import io.dino.gateway.core.DinoException;
import io.dino.gateway.core.ErrorCode;
import io.dino.gateway.core.TokenOperations;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import java.util.List;
import java.util.Optional;

/**
 * Who calls the admin API: every call carries {@code Authorization: Bearer <credential>}, either a backend API key
 * ({@code dino.api-keys}: acts as the backend, {@code by} = {@value #BACKEND}) or a client token verified exactly as a
 * WebSocket {@code connect} verifies it (signature, expiry, revocation) whose roles make its user an operator
 * ({@link Principal#isOperator()}: {@code superuser} or {@code globalmod}). Anything else is refused: no or an
 * unusable credential with NOT_AUTHENTICATED / INVALID_TOKEN / TOKEN_EXPIRED / TOKEN_REVOKED (HTTP 401), a valid token
 * of a user who is not an operator with NOT_ALLOWED (403).
 */
final class AdminAuth {

    /** The {@code by} of what an API key does (keys have no names). */
    static final String BACKEND = "backend";

    /**
     * Who acts.
     *
     * @param by    the operator's user id, or {@value #BACKEND} for an API key
     * @param kind  {@code operator} or {@code api-key}
     * @param roles the token's roles (none for an API key)
     */
    record Caller(String by, String kind, List<String> roles) {
    }

    private final ApiKeys apiKeys;
    private final TokenVerifier verifier;
    private final TokenOperations tokens;

    AdminAuth(ApiKeys apiKeys, TokenVerifier verifier, TokenOperations tokens) {
        this.apiKeys = apiKeys;
        this.verifier = verifier;
        this.tokens = tokens;
    }

    Caller authenticate(ServerRequest req) {
        String credential = bearer(req).orElseThrow(() -> new DinoException(ErrorCode.NOT_AUTHENTICATED,
                "send 'Authorization: Bearer <operator token or API key>'"));
        if (apiKeys.accepts(credential)) {
            return new Caller(BACKEND, "api-key", List.of());
        }
        Principal principal;
        try {
            principal = verifier.verify(credential);
        } catch (TokenRejectedException e) {
            throw new DinoException(e.reason() == TokenRejectedException.Reason.EXPIRED ? ErrorCode.TOKEN_EXPIRED
                    : ErrorCode.INVALID_TOKEN, "neither an API key nor a usable token: " + e.getMessage());
        }
        tokens.requireNotRevoked(principal);
        if (!principal.isOperator()) {
            throw new DinoException(ErrorCode.NOT_ALLOWED, "the admin console is for operators: the token of '"
                    + principal.user() + "' has neither the role " + Principal.SUPER_USER + " nor " + Principal.GLOBAL_MODERATOR);
        }
        return new Caller(principal.user(), "operator", principal.roles().stream().sorted().toList());
    }

    private static Optional<String> bearer(ServerRequest req) {
        return req.headers().first(HeaderNames.AUTHORIZATION)
                .map(String::strip)
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).strip())
                .filter(value -> !value.isEmpty());
    }
}
