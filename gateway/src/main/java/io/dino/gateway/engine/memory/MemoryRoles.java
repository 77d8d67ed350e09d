package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.Roles;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The single-node engine's roles: per scope, user → roles; grants are rare, so a copy-on-write map per scope. */
public final class MemoryRoles implements Roles {

    private final Map<Scope, Map<String, Set<String>>> byScope = new ConcurrentHashMap<>();

    @Override
    public boolean grant(Scope scope, String user, String role) {
        boolean[] changed = new boolean[1];
        byScope.compute(scope, (s, holders) -> {
            Map<String, Set<String>> next = holders == null ? new TreeMap<>() : new TreeMap<>(holders);
            Set<String> roles = next.getOrDefault(user, Set.of());
            if (!roles.contains(role)) {
                java.util.TreeSet<String> more = new java.util.TreeSet<>(roles);
                more.add(role);
                next.put(user, Set.copyOf(more));
                changed[0] = true;
            }
            return Map.copyOf(next);
        });
        return changed[0];
    }

    @Override
    public boolean revoke(Scope scope, String user, String role) {
        boolean[] changed = new boolean[1];
        byScope.computeIfPresent(scope, (s, holders) -> {
            Set<String> roles = holders.getOrDefault(user, Set.of());
            if (!roles.contains(role)) {
                return holders;
            }
            changed[0] = true;
            Map<String, Set<String>> next = new TreeMap<>(holders);
            java.util.TreeSet<String> fewer = new java.util.TreeSet<>(roles);
            fewer.remove(role);
            if (fewer.isEmpty()) {
                next.remove(user);
            } else {
                next.put(user, Set.copyOf(fewer));
            }
            return next.isEmpty() ? null : Map.copyOf(next);
        });
        return changed[0];
    }

    @Override
    public Map<String, Set<String>> holders(Scope scope) {
        // sorted, as the Redis engine answers them
        Map<String, Set<String>> holders = new TreeMap<>();
        byScope.getOrDefault(scope, Map.of()).forEach((user, roles) -> holders.put(user, new java.util.TreeSet<>(roles)));
        return holders;
    }

    @Override
    public Map<String, List<Grant>> grantsOf(Collection<String> users) {
        Map<String, List<Grant>> grants = new LinkedHashMap<>();
        users.forEach(user -> grants.put(user, new ArrayList<>()));
        byScope.forEach((scope, holders) -> holders.forEach((user, roles) -> {
            List<Grant> of = grants.get(user);
            if (of != null) {
                roles.forEach(role -> of.add(new Grant(scope, role)));
            }
        }));
        grants.values().forEach(list -> list.sort(java.util.Comparator
                .comparing((Grant g) -> g.scope().kind()).thenComparing(g -> g.scope().id()).thenComparing(Grant::role)));
        return grants;
    }

    @Override
    public void clear(Scope scope) {
        byScope.remove(scope);
    }
}
