package io.dino.gateway.core;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Blacklist matching: whole words and phrases, any case, Unicode letters, string values of the body only. */
class BlacklistMatcherTest {

    private static BlacklistMatcher matcher(String... entries) {
        return new BlacklistMatcher(Blacklisting.normalise(List.of(entries)));
    }

    @Test
    void aWordMatchesOnlyAsAWholeWordInAnyCase() {
        BlacklistMatcher m = matcher("ass");
        assertThat(m.matches("\"you ASS!\"")).containsExactly("ass");
        assertThat(m.matches("\"Ass\"")).containsExactly("ass");
        assertThat(m.matches("\"(ass)\"")).containsExactly("ass");
        assertThat(m.matches("\"class\"")).isEmpty();
        assertThat(m.matches("\"assess\"")).isEmpty();
        assertThat(m.matches("\"ass1\"")).isEmpty();  // digits are part of a word
        assertThat(m.matches("\"ass_\"")).containsExactly("ass");  // an underscore is not
    }

    @Test
    void aPhraseMatchesItsWordsInOrderWhateverSeparatesThem() {
        BlacklistMatcher m = matcher("Buy  Cheap-Pills");
        assertThat(m.matches("\"please buy cheap pills now\"")).containsExactly("buy cheap pills");
        assertThat(m.matches("\"BUY, cheap... PILLS\"")).containsExactly("buy cheap pills");
        assertThat(m.matches("\"buy cheap\"")).isEmpty();
        assertThat(m.matches("\"cheap pills buy\"")).isEmpty();
        assertThat(m.matches("\"buy very cheap pills\"")).isEmpty();
    }

    @Test
    void aWordAndAPhraseStartingWithItBothMatch() {
        BlacklistMatcher m = matcher("spam", "spam bot", "bot");
        assertThat(m.matches("\"a spam bot\"")).containsExactly("spam", "spam bot", "bot");
        assertThat(m.matches("\"spam spam\"")).containsExactly("spam");
    }

    @Test
    void unicodeLettersAndCaseAreWordsToo() {
        BlacklistMatcher m = matcher("Scheiße", "ΣΚΑΤΆ", "дурак", "馬鹿");
        assertThat(m.matches("\"so eine SCHEISSE\"")).isEmpty();  // lower-casing, not full case folding
        assertThat(m.matches("\"so eine SCHEIßE!\"")).containsExactly("scheiße");
        assertThat(m.matches("\"σκατά\"")).containsExactly("σκατά");
        assertThat(m.matches("\"ты ДУРАК.\"")).containsExactly("дурак");
        assertThat(m.matches("\"дураки\"")).isEmpty();
        assertThat(m.matches("\"お前は 馬鹿 だ\"")).containsExactly("馬鹿");
        assertThat(m.matches("\"お前は馬鹿だ\"")).isEmpty();  // no spaces between words: not a word of its own
        assertThat(matcher("café").matches("\"CAFÉ au lait\"")).containsExactly("café");
        // a combining accent belongs to its word: "cafe" + U+0301 is not the word "cafe"
        assertThat(matcher("cafe").matches("\"cafe\u0301\"")).isEmpty();
    }

    @Test
    void onlyStringValuesAtAnyDepthAreMatchedNotKeysOrNumbers() {
        BlacklistMatcher m = matcher("bad", "42");
        assertThat(m.matches("{\"bad\":\"fine\"}")).isEmpty();
        assertThat(m.matches("{\"text\":\"so bad\"}")).containsExactly("bad");
        assertThat(m.matches("{\"a\":[1,{\"b\":[\"ok\",\"BAD\"]}]}")).containsExactly("bad");
        assertThat(m.matches("{\"n\":42}")).isEmpty();
        assertThat(m.matches("{\"n\":\"42\"}")).containsExactly("42");
        assertThat(m.matches("true")).isEmpty();
    }

    @Test
    void escapesAreResolvedBeforeMatchingAndAPhraseDoesNotSpanTwoStrings() {
        BlacklistMatcher m = matcher("bad word", "évil");
        assertThat(m.matches("\"a \\\"bad\\\" word\"")).containsExactly("bad word");
        assertThat(m.matches("\"bad\\nword\"")).containsExactly("bad word");
        assertThat(m.matches("\"\\u00c9VIL\"")).containsExactly("évil");
        assertThat(m.matches("[\"bad\",\"word\"]")).isEmpty();
    }

    @Test
    void theEmptyMatcherMatchesNothing() {
        assertThat(BlacklistMatcher.EMPTY.isEmpty()).isTrue();
        assertThat(BlacklistMatcher.EMPTY.matches("\"anything\"")).isEmpty();
    }

    @Test
    void entriesAreNormalisedAndInvalidOnesRefused() {
        assertThat(Blacklisting.normalise(List.of("  Bad-Word! ", "bad word", "X"))).containsExactly("bad word", "x");
        for (List<String> invalid : List.of(List.<String>of(), List.of("!!!"), List.of(" "), List.of("a".repeat(101)),
                List.of("a b c d e f g h i j k"))) {
            DinoException refused = catchThrowableOfType(DinoException.class, () -> Blacklisting.normalise(invalid));
            assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_VALUE);
        }
    }
}
