package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.Revocations;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Redis engine's revoked tokens: one hash per user in the user's slot ({@link Keys#revocations}), written by
 * {@code revoke.lua} (which also forgets expired entries and keeps the hash's expiry at its latest {@code until}).
 * A check reads the revocation by user and the token's own entry with one HMGET: one command, one slot.
 * Entries past their {@code until} by this node's clock are not answered even before Redis drops them.
 */
final class RedisRevocations implements Revocations {

    private static final Scripts REVOKE = Scripts.load("revoke.lua");
    private static final String BY_USER = "u";
    private static final String BY_ID = "t:";

    private final Keys keys;
    private final Connection connection;
    private final Duration timeout;
    private final InstantSource clock;

    RedisRevocations(Keys keys, Connection connection, Duration timeout, InstantSource clock) {
        this.keys = keys;
        this.connection = connection;
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public void revokeUser(String user, Instant issuedBefore, Instant until) {
        store(user, BY_USER, issuedBefore, until);
    }

    @Override
    public void revokeToken(String user, String tokenId, Instant until) {
        if (tokenId.isEmpty()) {
            throw new IllegalArgumentException("a token id is needed");
        }
        store(user, BY_ID + tokenId, Instant.EPOCH, until);
    }

    @Override
    public boolean isRevoked(String user, String tokenId, Optional<Instant> issuedAt) {
        String[] fields = tokenId.isEmpty() ? new String[]{BY_USER} : new String[]{BY_USER, BY_ID + tokenId};
        List<KeyValue<String, String>> values = RedisBroker.redis(() -> connection.sync().hmget(keys.revocations(user), fields));
        Instant now = clock.instant();
        for (KeyValue<String, String> value : values) {
            if (value.hasValue()) {
                Revocation revocation = decode(value.getKey(), value.getValue());
                if (revocation != null && revocation.until().isAfter(now) && Revocations.revokes(revocation, tokenId, issuedAt)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public List<Revocation> of(String user) {
        Map<String, String> stored = RedisBroker.redis(() -> connection.sync().hgetall(keys.revocations(user)));
        Instant now = clock.instant();
        List<Revocation> inForce = new ArrayList<>();
        // sorted by field: "t:..." after "u"; the revocation by user goes first
        new TreeMap<>(stored).forEach((field, value) -> {
            Revocation revocation = decode(field, value);
            if (revocation != null && revocation.until().isAfter(now)) {
                if (revocation.byUser()) {
                    inForce.addFirst(revocation);
                } else {
                    inForce.add(revocation);
                }
            }
        });
        return inForce;
    }

    private void store(String user, String field, Instant issuedBefore, Instant until) {
        String[] keyList = {keys.revocations(user)};
        String[] args = {field, Long.toString(issuedBefore.toEpochMilli()), Long.toString(until.toEpochMilli()),
                Long.toString(clock.millis())};
        REVOKE.await(REVOKE.send(connection, ScriptOutputType.INTEGER, keyList, args), timeout, connection,
                ScriptOutputType.INTEGER, keyList, args);
    }

    /** A stored entry, or null for one of a shape this version does not know. */
    private static Revocation decode(String field, String value) {
        try {
            if (field.equals(BY_USER)) {
                String[] parts = value.split(" ");
                return new Revocation("", Instant.ofEpochMilli(Long.parseLong(parts[0])), Instant.ofEpochMilli(Long.parseLong(parts[1])));
            }
            if (field.startsWith(BY_ID)) {
                return new Revocation(field.substring(BY_ID.length()), Instant.EPOCH, Instant.ofEpochMilli(Long.parseLong(value)));
            }
        } catch (RuntimeException e) {
            // below
        }
        return null;
    }
}
