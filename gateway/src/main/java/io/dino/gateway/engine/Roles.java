package io.dino.gateway.engine;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Roles Dino keeps itself, cluster-wide: who owns or administers a channel, who owns or moderates a room.
 * (Global roles — super user, global moderator — come from token claims and are not stored here.) The
 * engine stores and indexes; what a role allows is the core's.
 *
 * <p>Contract: a grant or revoke is visible to every node's reads once it returns; granting a role held
 * already, or revoking one not held, changes nothing and answers false. Roles of a scope are kept until
 * revoked or the scope is {@link #clear cleared} (a removed room or channel). Failures throw
 * {@link EngineUnavailableException}.
 */
public interface Roles {

    /** Where a role applies. */
    enum ScopeKind { CHANNEL, ROOM }

    /** A channel or a room, by id. */
    record Scope(ScopeKind kind, String id) {
        public static Scope room(String id) {
            return new Scope(ScopeKind.ROOM, id);
        }

        public static Scope channel(String id) {
            return new Scope(ScopeKind.CHANNEL, id);
        }
    }

    /** One role a user holds in a scope; {@code role} is the stored name ({@code owner}, {@code admin}, {@code moderator}). */
    record Grant(Scope scope, String role) {
    }

    /** Gives the user the role in the scope; true if the user did not have it. */
    boolean grant(Scope scope, String user, String role);

    /** Takes the role from the user in the scope; true if the user had it. */
    boolean revoke(Scope scope, String user, String role);

    /** Everyone with a role in the scope: user → roles (empty when nobody has one). */
    Map<String, Set<String>> holders(Scope scope);

    /** For each distinct user asked, in the order asked, every role the user holds in any scope. */
    Map<String, List<Grant>> grantsOf(Collection<String> users);

    /** Forgets every role in the scope (and the users' index entries of it). */
    void clear(Scope scope);
}
