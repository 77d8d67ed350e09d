package io.dino.gateway.engine;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The blacklist: words and phrases a message from a non-operator must not contain (the core decides what a match is
 * and what happens then; the engine only keeps the entries, as the core normalised them).
 *
 * <p>Contract (the blacklist contract tests check each point, for every engine):
 * <ul>
 *   <li>{@link #add} and {@link #remove} are atomic and change the {@link #version} in the same step when, and only
 *       when, they changed the set; they answer the entries they actually added or removed.</li>
 *   <li>Every node of the cluster sees the same entries and the same version; the version only grows.</li>
 *   <li>{@link #words} read after {@link #version} are at least as new as that version (a node that caches the
 *       words reads the version first, then the words, so it never keeps words older than the version it holds).</li>
 * </ul>
 */
public interface Blacklist {

    /** Adds the entries; answers those that were not there before. */
    Set<String> add(Collection<String> entries);

    /** Removes the entries; answers those that were there. */
    Set<String> remove(Collection<String> entries);

    /** Every entry, sorted. */
    List<String> words();

    /** A number that changes with every change of the entries (0 before the first). */
    long version();
}
