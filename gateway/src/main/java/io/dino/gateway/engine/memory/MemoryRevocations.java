package io.dino.gateway.engine.memory;

import io.dino.gateway.engine.Revocations;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The single-node engine's revoked tokens: per user, token id ({@code ""} for the revocation by user) → revocation,
 * copied on write (revocations are rare, checks are at every connect). Revocations past their {@code until} are
 * never answered; each write drops them from every user, so forgotten users do not stay in memory.
 */
public final class MemoryRevocations implements Revocations {

    private static final String BY_USER = "";

    private final Map<String, Map<String, Revocation>> byUser = new ConcurrentHashMap<>();
    private final InstantSource clock;

    public MemoryRevocations(InstantSource clock) {
        this.clock = clock;
    }

    @Override
    public void revokeUser(String user, Instant issuedBefore, Instant until) {
        store(user, new Revocation(BY_USER, millis(issuedBefore), millis(until)));
    }

    @Override
    public void revokeToken(String user, String tokenId, Instant until) {
        if (tokenId.isEmpty()) {
            throw new IllegalArgumentException("a token id is needed");
        }
        store(user, new Revocation(tokenId, Instant.EPOCH, millis(until)));
    }

    @Override
    public boolean isRevoked(String user, String tokenId, Optional<Instant> issuedAt) {
        Instant now = clock.instant();
        return of(user, now).stream().anyMatch(revocation -> Revocations.revokes(revocation, tokenId, issuedAt));
    }

    @Override
    public List<Revocation> of(String user) {
        return of(user, clock.instant());
    }

    private List<Revocation> of(String user, Instant now) {
        Map<String, Revocation> stored = byUser.getOrDefault(user, Map.of());
        List<Revocation> inForce = new ArrayList<>(stored.size());
        // a TreeMap: the revocation by user ("") first, then by id
        new TreeMap<>(stored).values().forEach(revocation -> {
            if (revocation.until().isAfter(now)) {
                inForce.add(revocation);
            }
        });
        return inForce;
    }

    private void store(String user, Revocation revocation) {
        Instant now = clock.instant();
        byUser.compute(user, (u, stored) -> {
            Map<String, Revocation> next = new TreeMap<>(stored == null ? Map.of() : stored);
            next.merge(revocation.tokenId(), revocation, MemoryRevocations::later);
            return Map.copyOf(next);
        });
        // forget what expired, everywhere (rare writes; reads skip it meanwhile)
        byUser.replaceAll((u, stored) -> {
            Map<String, Revocation> kept = new TreeMap<>(stored);
            kept.values().removeIf(r -> !r.until().isAfter(now));
            return kept.size() == stored.size() ? stored : Map.copyOf(kept);
        });
        byUser.values().removeIf(Map::isEmpty);
    }

    private static Instant millis(Instant time) {
        return Instant.ofEpochMilli(time.toEpochMilli());
    }

    /** Two revocations of the same tokens: the later time and the later until. */
    static Revocation later(Revocation a, Revocation b) {
        Instant before = a.issuedBefore().isAfter(b.issuedBefore()) ? a.issuedBefore() : b.issuedBefore();
        Instant until = a.until().isAfter(b.until()) ? a.until() : b.until();
        return new Revocation(a.tokenId(), before, until);
    }
}
