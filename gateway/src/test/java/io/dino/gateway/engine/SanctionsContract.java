package io.dino.gateway.engine;

import io.dino.gateway.engine.Sanctions.Kind;
import io.dino.gateway.engine.Sanctions.Sanction;
import io.dino.gateway.engine.Sanctions.Target;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What every engine's bans and mutes do; each engine's test supplies an empty store and a second node's view of it. */
public abstract class SanctionsContract {

    private static final long NOW = 1_800_000_000_000L;

    /** Sanctions with nothing stored. */
    protected abstract Sanctions newSanctions();

    /** The same store as another node of the cluster sees it (the memory engine: the same object). */
    protected abstract Sanctions otherNodeOf(Sanctions sanctions);

    private Sanctions sanctions;

    @BeforeEach
    void start() {
        sanctions = newSanctions();
    }

    private static Sanction ban(Target target, String user, long until) {
        return new Sanction(Kind.BAN, target, user, "mod", "spam", NOW, until);
    }

    @Test
    void aBanIsStoredPerKindTargetAndUserAndSeenByOtherNodes() {
        Sanction lobby = ban(Target.room("lobby"), "bob", NOW + 60_000);
        sanctions.put(lobby);
        sanctions.put(ban(Target.channel("lobby"), "carol", 0));
        Sanction mute = new Sanction(Kind.MUTE, Target.room("lobby"), "dave", "system", "", NOW, 0);
        sanctions.put(mute);

        Sanctions other = otherNodeOf(sanctions);
        assertThat(other.list(Kind.BAN, Target.room("lobby"), NOW)).containsExactly(lobby);
        assertThat(other.list(Kind.MUTE, Target.room("lobby"), NOW)).containsExactly(mute);
        assertThat(other.list(Kind.BAN, Target.channel("lobby"), NOW)).extracting(Sanction::user).containsExactly("carol");
        assertThat(other.list(Kind.BAN, Target.GLOBAL, NOW)).isEmpty();
        assertThat(other.find(Kind.BAN, Target.room("lobby"), "bob", NOW)).contains(lobby);
        assertThat(other.find(Kind.BAN, Target.room("lobby"), "dave", NOW)).isEmpty();
        assertThat(other.find(Kind.MUTE, Target.room("lobby"), "bob", NOW)).isEmpty();
    }

    @Test
    void aSecondBanOfTheSameUserAndTargetReplacesTheFirst() {
        sanctions.put(ban(Target.room("lobby"), "bob", NOW + 1_000));
        Sanction longer = new Sanction(Kind.BAN, Target.room("lobby"), "bob", "op", "again", NOW + 5, 0);
        sanctions.put(longer);
        assertThat(sanctions.list(Kind.BAN, Target.room("lobby"), NOW + 10)).containsExactly(longer);
        assertThat(sanctions.bansOf("bob", NOW + 10)).containsExactly(longer);
    }

    @Test
    void listsAreSortedByUserAndKeepReasonsWithAnyText() {
        Sanction zed = new Sanction(Kind.BAN, Target.GLOBAL, "zed", "op", "said: a|b, \"c\" é", NOW, 0);
        Sanction amy = new Sanction(Kind.BAN, Target.GLOBAL, "amy", "op", "", NOW, NOW + 1);
        sanctions.put(zed);
        sanctions.put(amy);
        assertThat(sanctions.list(Kind.BAN, Target.GLOBAL, NOW)).containsExactly(amy, zed);
    }

    @Test
    void anExpiredSanctionIsAbsentEverywhereAndPrunedByWritesAndLists() {
        sanctions.put(ban(Target.room("lobby"), "bob", NOW + 1_000));
        sanctions.put(new Sanction(Kind.MUTE, Target.room("lobby"), "bob", "mod", "", NOW, NOW + 1_000));
        long later = NOW + 1_000;  // until is exclusive: at `until` the sanction is over
        assertThat(sanctions.find(Kind.BAN, Target.room("lobby"), "bob", later)).isEmpty();
        assertThat(sanctions.list(Kind.BAN, Target.room("lobby"), later)).isEmpty();
        assertThat(sanctions.list(Kind.MUTE, Target.room("lobby"), later)).isEmpty();
        assertThat(sanctions.bansOf("bob", later)).isEmpty();
        assertThat(sanctions.remove(Kind.MUTE, Target.room("lobby"), "bob", later)).as("expired: nothing active removed").isFalse();
        // pruned by the list above: gone even for a read at a time before it ended
        assertThat(sanctions.find(Kind.BAN, Target.room("lobby"), "bob", NOW)).isEmpty();
    }

    @Test
    void removingAnswersWhetherAnActiveSanctionWasThere() {
        sanctions.put(ban(Target.room("lobby"), "bob", 0));
        assertThat(sanctions.remove(Kind.BAN, Target.room("lobby"), "carol", NOW)).isFalse();
        assertThat(sanctions.remove(Kind.MUTE, Target.room("lobby"), "bob", NOW)).isFalse();
        assertThat(sanctions.remove(Kind.BAN, Target.channel("lobby"), "bob", NOW)).isFalse();
        assertThat(sanctions.remove(Kind.BAN, Target.room("lobby"), "bob", NOW)).isTrue();
        assertThat(sanctions.remove(Kind.BAN, Target.room("lobby"), "bob", NOW)).isFalse();
        assertThat(otherNodeOf(sanctions).find(Kind.BAN, Target.room("lobby"), "bob", NOW)).isEmpty();
        assertThat(sanctions.bansOf("bob", NOW)).isEmpty();
    }

    @Test
    void aUsersBansInEveryScopeAreFoundSortedByScopeThenTarget() {
        sanctions.put(ban(Target.GLOBAL, "bob", 0));
        sanctions.put(ban(Target.room("zoo"), "bob", 0));
        sanctions.put(ban(Target.room("attic"), "bob", NOW + 10));
        sanctions.put(ban(Target.channel("games"), "bob", 0));
        sanctions.put(ban(Target.room("attic"), "carol", 0));
        sanctions.put(new Sanction(Kind.MUTE, Target.room("mall"), "bob", "mod", "", NOW, 0));

        List<Sanction> bans = otherNodeOf(sanctions).bansOf("bob", NOW);
        assertThat(bans).extracting(Sanction::target).containsExactly(Target.room("attic"), Target.room("zoo"),
                Target.channel("games"), Target.GLOBAL);
        assertThat(sanctions.bansOf("bob", NOW + 10)).extracting(Sanction::target)
                .containsExactly(Target.room("zoo"), Target.channel("games"), Target.GLOBAL);
        assertThat(sanctions.bansOf("nobody", NOW)).isEmpty();
    }

    @Test
    void clearingATargetForgetsItsBansAndMutes() {
        sanctions.put(ban(Target.room("gone"), "bob", 0));
        sanctions.put(new Sanction(Kind.MUTE, Target.room("gone"), "bob", "mod", "", NOW, 0));
        sanctions.put(ban(Target.room("kept"), "bob", 0));
        sanctions.clear(List.of(Target.room("gone")));
        assertThat(sanctions.list(Kind.BAN, Target.room("gone"), NOW)).isEmpty();
        assertThat(sanctions.list(Kind.MUTE, Target.room("gone"), NOW)).isEmpty();
        assertThat(sanctions.bansOf("bob", NOW)).extracting(Sanction::target).containsExactly(Target.room("kept"));
    }
}
