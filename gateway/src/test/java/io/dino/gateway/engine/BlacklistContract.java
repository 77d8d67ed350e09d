package io.dino.gateway.engine;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What every engine's blacklist does; each engine's test supplies an empty one and a second node's view of it. */
public abstract class BlacklistContract {

    /** A blacklist with nothing stored. */
    protected abstract Blacklist newBlacklist();

    /** The same stored blacklist as another node of the cluster sees it (the memory engine: the same object). */
    protected abstract Blacklist otherNodeOf(Blacklist blacklist);

    private Blacklist blacklist;

    @BeforeEach
    void start() {
        blacklist = newBlacklist();
    }

    @Test
    void anEmptyBlacklistHasNoWordsAndVersionZero() {
        assertThat(blacklist.words()).isEmpty();
        assertThat(blacklist.version()).isZero();
    }

    @Test
    void addingAnswersWhatWasNewAndTheWordsAreSorted() {
        assertThat(blacklist.add(List.of("zeta", "alpha"))).isEqualTo(Set.of("zeta", "alpha"));
        assertThat(blacklist.add(List.of("alpha", "beta gamma"))).isEqualTo(Set.of("beta gamma"));
        assertThat(blacklist.words()).containsExactly("alpha", "beta gamma", "zeta");
    }

    @Test
    void removingAnswersWhatWasListed() {
        blacklist.add(List.of("alpha", "beta"));
        assertThat(blacklist.remove(List.of("beta", "delta"))).isEqualTo(Set.of("beta"));
        assertThat(blacklist.remove(List.of("beta"))).isEmpty();
        assertThat(blacklist.words()).containsExactly("alpha");
    }

    @Test
    void theVersionMovesWithEveryChangeAndOnlyThen() {
        blacklist.add(List.of("alpha"));
        long afterAdd = blacklist.version();
        assertThat(afterAdd).isPositive();
        blacklist.add(List.of("alpha"));
        blacklist.remove(List.of("nothing"));
        assertThat(blacklist.version()).isEqualTo(afterAdd);
        blacklist.remove(List.of("alpha"));
        assertThat(blacklist.version()).isGreaterThan(afterAdd);
    }

    @Test
    void anotherNodeSeesTheSameWordsAndVersion() {
        Blacklist other = otherNodeOf(blacklist);
        blacklist.add(List.of("alpha", "beta"));
        assertThat(other.words()).containsExactly("alpha", "beta");
        assertThat(other.version()).isEqualTo(blacklist.version());
        other.remove(List.of("alpha"));
        assertThat(blacklist.words()).containsExactly("beta");
        assertThat(blacklist.version()).isEqualTo(other.version());
    }

    @Test
    void unicodeEntriesAreKeptAsGiven() {
        blacklist.add(List.of("дурак", "馬鹿", "scheiße"));
        assertThat(otherNodeOf(blacklist).words()).containsExactlyInAnyOrder("дурак", "馬鹿", "scheiße");
    }
}
