package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.EngineUnavailableException;
import io.dino.gateway.engine.Roles;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Redis engine's stored roles. The truth is one hash per scope in the scope's slot ({@link Keys#roles}:
 * user → sorted roles), changed by {@code roles.lua}, so a grant or revoke is atomic and says whether it
 * changed anything. Each user also has an index in the user's own slot ({@link Keys#userGrants}) so
 * {@link #grantsOf} need not scan scopes.
 *
 * <p>The two live in different slots (Redis Cluster cannot change both in one step), so the steps are ordered
 * for the index to be a superset of the truth: a grant adds the index entry before the scope hash, a revoke
 * removes it after. A crash between the steps leaves at worst an index entry without its role, and
 * {@link #grantsOf} verifies every entry against the scope hash, so such an entry is never answered. A grant
 * and a revoke of the same role racing could take an index entry away under a role that ends up granted; so
 * a grant that changed the hash writes its entry once more afterwards, and a revoke that removed an entry
 * puts it back if the hash holds the role again by then.
 */
final class RedisRoles implements Roles {

    private static final Scripts CHANGE = Scripts.load("roles.lua");
    private static final String SEPARATOR = "|";
    static final Comparator<Grant> ORDER = Comparator.comparing((Grant grant) -> grant.scope().kind())
            .thenComparing(grant -> grant.scope().id()).thenComparing(Grant::role);

    private final Keys keys;
    private final Connection connection;
    private final Duration timeout;

    RedisRoles(Keys keys, Connection connection, Duration timeout) {
        this.keys = keys;
        this.connection = connection;
        this.timeout = timeout;
    }

    @Override
    public boolean grant(Scope scope, String user, String role) {
        String entry = indexEntry(scope, role);
        RedisBroker.redis(() -> connection.sync().sadd(keys.userGrants(user), entry));
        boolean changed = change(scope, user, role, true);
        if (changed) {
            // a revoke racing with this one may have removed the entry between the two steps above
            RedisBroker.redis(() -> connection.sync().sadd(keys.userGrants(user), entry));
        }
        return changed;
    }

    @Override
    public boolean revoke(Scope scope, String user, String role) {
        if (!change(scope, user, role, false)) {
            return false;
        }
        String entry = indexEntry(scope, role);
        RedisBroker.redis(() -> connection.sync().srem(keys.userGrants(user), entry));
        // a grant racing with this one may have given the role back before the entry went
        if (rolesIn(RedisBroker.redis(() -> connection.sync().hget(keys.roles(scope), user))).contains(role)) {
            RedisBroker.redis(() -> connection.sync().sadd(keys.userGrants(user), entry));
        }
        return true;
    }

    @Override
    public Map<String, Set<String>> holders(Scope scope) {
        Map<String, Set<String>> holders = new TreeMap<>();
        RedisBroker.redis(() -> connection.sync().hgetall(keys.roles(scope)))
                .forEach((user, roles) -> holders.put(user, rolesIn(roles)));
        return holders;
    }

    /**
     * Two pipelined rounds: every user's index (one SMEMBERS each, the users' slots), then one HGET per indexed
     * scope and user (the scopes' slots), so an entry whose role is gone is left out.
     */
    @Override
    public Map<String, List<Grant>> grantsOf(Collection<String> users) {
        Map<String, RedisFuture<Set<String>>> indexes = new LinkedHashMap<>();
        for (String user : users) {
            if (!indexes.containsKey(user)) {
                indexes.put(user, RedisBroker.redis(() -> connection.async().smembers(keys.userGrants(user))));
            }
        }
        Map<String, Map<Scope, RedisFuture<String>>> checks = new LinkedHashMap<>();
        Map<String, List<Grant>> indexed = new LinkedHashMap<>();
        indexes.forEach((user, index) -> {
            Map<Scope, RedisFuture<String>> ofUser = new LinkedHashMap<>();
            List<Grant> grants = new ArrayList<>();
            for (String entry : await(index)) {
                Grant grant = grantOf(entry);
                if (grant != null) {
                    grants.add(grant);
                    ofUser.computeIfAbsent(grant.scope(), scope ->
                            RedisBroker.redis(() -> connection.async().hget(keys.roles(scope), user)));
                }
            }
            checks.put(user, ofUser);
            indexed.put(user, grants);
        });
        Map<String, List<Grant>> result = new LinkedHashMap<>();
        indexed.forEach((user, grants) -> {
            Map<Scope, Set<String>> held = new LinkedHashMap<>();
            checks.get(user).forEach((scope, roles) -> held.put(scope, rolesIn(await(roles))));
            result.put(user, grants.stream()
                    .filter(grant -> held.get(grant.scope()).contains(grant.role()))
                    .sorted(ORDER)
                    .toList());
        });
        return result;
    }

    /**
     * Reads the holders, removes their index entries of the scope, then the hash (the same order as a revoke). A
     * grant racing with it may leave an index entry without its role (never answered); the scope is going away.
     */
    @Override
    public void clear(Scope scope) {
        Map<String, Set<String>> holders = holders(scope);
        holders.forEach((user, roles) -> RedisBroker.redis(() -> connection.sync().srem(keys.userGrants(user),
                roles.stream().map(role -> indexEntry(scope, role)).toArray(String[]::new))));
        RedisBroker.redis(() -> connection.sync().del(keys.roles(scope)));
    }

    private boolean change(Scope scope, String user, String role, boolean grant) {
        Long changed = RedisBroker.redis(() -> CHANGE.run(connection.sync(), ScriptOutputType.INTEGER,
                new String[]{keys.roles(scope)}, user, role, grant ? "1" : "0"));
        return changed == 1;
    }

    private static Set<String> rolesIn(String stored) {
        return stored == null || stored.isBlank() ? Set.of() : new TreeSet<>(Arrays.asList(stored.split(" ")));
    }

    /** {@code room|lobby|owner}. */
    private static String indexEntry(Scope scope, String role) {
        return scope.kind().name().toLowerCase(java.util.Locale.ROOT) + SEPARATOR + scope.id() + SEPARATOR + role;
    }

    /** The inverse of {@link #indexEntry}; null for an entry of a shape this version does not know. */
    private static Grant grantOf(String entry) {
        String[] parts = entry.split("\\|", -1);
        if (parts.length != 3) {
            return null;
        }
        ScopeKind kind = switch (parts[0]) {
            case "room" -> ScopeKind.ROOM;
            case "channel" -> ScopeKind.CHANNEL;
            default -> null;
        };
        return kind == null ? null : new Grant(new Scope(kind, parts[1]), parts[2]);
    }

    private <T> T await(RedisFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineUnavailableException("interrupted while reading roles from Redis", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new EngineUnavailableException("Redis: reading roles failed: " + e.getMessage(), e);
        }
    }
}
