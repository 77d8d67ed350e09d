package io.dino.gateway.acl;

import io.dino.gateway.auth.Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AclExpressionTest {

    private static Principal user(String... attributes) {
        Map<String, String> attrs = new HashMap<>();
        for (int i = 0; i < attributes.length; i += 2) {
            attrs.put(attributes[i], attributes[i + 1]);
        }
        return new Principal("u", Set.of(), attrs, Instant.MAX);
    }

    private static Principal withRoles(String... roles) {
        return new Principal("u", Set.of(roles), Map.of(), Instant.MAX);
    }

    private static boolean passes(String rule, Principal principal) {
        return AclExpression.parse(rule).evaluate(principal).passed();
    }

    private static String failed(String rule, Principal principal) {
        Verdict verdict = AclExpression.parse(rule).evaluate(principal);
        assertThat(verdict.passed()).as(rule).isFalse();
        return verdict.failed();
    }

    // ---- value in a list

    @Test
    void aValueListPassesWhenTheAttributeIsOneOfTheValues() {
        assertThat(passes("gender=f", user("gender", "f"))).isTrue();
        assertThat(passes("gender=f", user("gender", "m"))).isFalse();
        assertThat(passes("country=de;at;ch", user("country", "at"))).isTrue();
        assertThat(passes("country=de;at;ch", user("country", "fr"))).isFalse();
    }

    @Test
    void valuesAreCaseSensitiveAndMatchWhole() {
        assertThat(passes("country=de", user("country", "DE"))).isFalse();
        assertThat(passes("country=de", user("country", "den"))).isFalse();
    }

    @Test
    void aNegatedValueListPassesWhenTheAttributeIsNoneOfThem() {
        assertThat(passes("membership=!normal", user("membership", "gold"))).isTrue();
        assertThat(passes("membership=!normal;free", user("membership", "free"))).isFalse();
    }

    // ---- list intersects list

    @Test
    void aListAttributePassesWhenAnyOfItsValuesIsListed() {
        Principal speaker = user("languages", "fr,de");  // a token array arrives comma-joined
        assertThat(passes("languages=en;de", speaker)).isTrue();
        assertThat(passes("languages=en;it", speaker)).isFalse();
        assertThat(passes("languages=!en;it", speaker)).isTrue();
        assertThat(passes("languages=!de", speaker)).isFalse();
        assertThat(passes("languages=de", user("languages", " fr , de "))).isTrue();
    }

    // ---- numeric range

    @ParameterizedTest
    @CsvSource({
            "age=18:30, 18, true", "age=18:30, 30, true", "age=18:30, 17, false", "age=18:30, 31, false",
            "age=18:, 99, true", "age=18:, 17, false", "age=:30, 0, true", "age=:30, 30.5, false",
            "age=-5:-1, -3, true", "age=-5:-1, 0, false", "age=+1.5:2.25, 2.25, true", "age=1.5:2.25, 1.49, false",
            "age=!18:30, 40, true", "age=!18:30, 20, false", "age=18:18, 18, true", "age=0:, +3, true"
    })
    void aRangeIsInclusiveAndMayBeOpenAtEitherEnd(String rule, String age, boolean passes) {
        assertThat(passes(rule, user("age", age))).as(rule + " with age " + age).isEqualTo(passes);
    }

    @Test
    void aRangeOverAValueThatIsNotANumberIsMissing() {
        assertThat(failed("age=18:", user("age", "old"))).isEqualTo("age=18: (no age in the token)");
        assertThat(passes("!age=18:", user("age", "old"))).isFalse();
    }

    // ---- roles and deny

    @Test
    void roleChecksTheTokensRoles() {
        assertThat(passes("role=vip;staff", withRoles("staff"))).isTrue();
        assertThat(passes("role=vip", withRoles("staff"))).isFalse();
        assertThat(passes("role=vip", withRoles())).isFalse();
        assertThat(passes("role=!banned", withRoles())).isTrue();
        assertThat(passes("role=vip", user("role", "vip"))).as("an attribute named role is not a role").isFalse();
    }

    @Test
    void denyRefusesEveryone() {
        assertThat(failed("deny", user("age", "30"))).isEqualTo("deny");
        assertThat(passes("deny|age=18:", user("age", "30"))).isTrue();
        assertThat(passes("!deny", user())).isTrue();
    }

    // ---- missing attributes

    @Test
    void aMissingAttributeFailsTheTermAndItsNegation() {
        assertThat(failed("gender=f", user())).isEqualTo("gender=f (no gender in the token)");
        assertThat(failed("gender=!f", user())).isEqualTo("gender=!f (no gender in the token)");
        assertThat(failed("!gender=f", user())).isEqualTo("gender=f (no gender in the token)");
        assertThat(passes("!gender=f", user("gender", ""))).as("an empty value is missing").isFalse();
    }

    @Test
    void aMissingAttributeFailsAnAndEvenUnderNot() {
        Principal male = user("gender", "m");
        assertThat(passes("!(age=18:,gender=f)", male)).isFalse();
        assertThat(failed("gender=m,age=18:", male)).isEqualTo("age=18: (no age in the token)");
    }

    @Test
    void anOrPassesThroughAnAlternativeThatPassesDespiteAMissingOne() {
        assertThat(passes("age=35:|gender=f", user("gender", "f"))).isTrue();
        assertThat(failed("age=35:|gender=f", user("gender", "m"))).isEqualTo("age=35:|gender=f");
        assertThat(passes("!(age=35:|gender=f)", user("gender", "m"))).as("missing under not").isFalse();
        assertThat(passes("!(age=35:|gender=f)", user("gender", "m", "age", "20"))).isTrue();
    }

    // ---- combinations

    @Test
    void theReferenceExampleCombinesOrAndNot() {
        String rule = "(age=35:|gender=f),membership=!normal";
        assertThat(passes(rule, user("age", "40", "gender", "m", "membership", "gold"))).isTrue();
        assertThat(passes(rule, user("age", "20", "gender", "f", "membership", "gold"))).isTrue();
        assertThat(failed(rule, user("age", "20", "gender", "m", "membership", "gold"))).isEqualTo("age=35:|gender=f");
        assertThat(failed(rule, user("age", "40", "gender", "m", "membership", "normal"))).isEqualTo("membership=!normal");
        assertThat(passes(rule, user("gender", "f", "membership", "gold"))).isTrue();
    }

    @Test
    void andNamesTheFirstFailingPart() {
        assertThat(failed("age=18:,country=de", user("age", "20", "country", "fr"))).isEqualTo("country=de");
    }

    @Test
    void notAppliesToTermsAndGroupsAndMayRepeat() {
        assertThat(passes("!gender=f", user("gender", "m"))).isTrue();
        assertThat(failed("!gender=f", user("gender", "f"))).isEqualTo("!gender=f");
        assertThat(passes("!!gender=f", user("gender", "f"))).isTrue();
        assertThat(passes("!(gender=f|age=:17),country=de", user("gender", "m", "age", "30", "country", "de"))).isTrue();
    }

    @Test
    void parenthesesMayGroupAndsInsideAnOr() {
        String rule = "(age=18:,country=de)|role=vip";
        assertThat(passes(rule, user("age", "20", "country", "de"))).isTrue();
        assertThat(passes(rule, withRoles("vip"))).isTrue();
        assertThat(passes(rule, user("age", "20", "country", "at"))).isFalse();
    }

    // ---- text

    @Test
    void whitespaceAroundTokensIsIgnoredAndInsideValuesKept() {
        AclExpression rule = AclExpression.parse("  ( age = 18 : | gender = f ) ,  city = New York ; Köln ");
        assertThat(rule.toString()).isEqualTo("(age=18:|gender=f),city=New York;Köln");
        assertThat(rule.evaluate(user("gender", "f", "city", "New York")).passed()).isTrue();
        assertThat(rule).isEqualTo(AclExpression.parse(rule.toString()));
    }

    @Test
    void unicodeValuesMatchExactly() {
        assertThat(passes("city=Zürich;東京", user("city", "東京"))).isTrue();
        assertThat(passes("name=😀", user("name", "😀"))).isTrue();
        assertThat(passes("city=Zürich", user("city", "Zurich"))).isFalse();
    }

    @Test
    void canonicalTextIsStable() {
        assertThat(AclExpression.parse("age=018.50:+30").toString()).isEqualTo("age=18.50:30");
        assertThat(AclExpression.parse("!(a=1|b=2)").toString()).isEqualTo("!(a=1|b=2)");
        assertThat(AclExpression.parse("a=1,b=2,c=3").toString()).isEqualTo("a=1,b=2,c=3");
    }

    // ---- refused

    @ParameterizedTest
    @CsvSource(delimiter = '#', value = {
            "''#1#expected a rule",
            "'   '#4#expected a rule",
            "gender#7#expected '=' after 'gender'",
            "gender=#8#expected a value after '='",
            "gender=!#9#expected a value after '=!'",
            "country=de;#12#expected a value after ';'",
            "country=de;;at#12#expected a value after ';'",
            "a=1,b=2|c=3#8#mixing ',' and '|' needs parentheses",
            "((a=1))#2#parentheses nest only one level",
            "(a=1,(b=2|c=3))#6#parentheses nest only one level",
            "(a=1|b=2#9#expected ')' to close the '(' at character 1",
            "a=1)#4#unexpected ')'",
            "a=1 b=2#6#expected ',', '|' or the end of the rule",
            "(a=1 b=2)#7#expected ',', '|' or ')'",
            "a=1,#5#expected a rule",
            "|a=1#1#expected an attribute name",
            "=1#1#expected an attribute name",
            "1a=1#1#expected an attribute name",
            "age=:#6#expected a number before or after ':'",
            "age=x:3#5#expected a number",
            "age=1:2:3#8#expected ',', '|' or the end of the rule",
            "age=30:18#5#the range 30:18 is empty",
            "age=1e3:#5#expected a number",
            "age=1.:#5#expected a number",
            "role=1:#7#role takes role names",
            "!#2#expected a rule",
            "()#2#expected an attribute name",
            "deny=#6#expected a value after '='",
            "a=b=c#4#expected ',', '|' or the end of the rule",
    })
    void invalidRulesAreRefusedWithThePositionAndWhatWasExpected(String rule, int position, String expected) {
        assertThatThrownBy(() -> AclExpression.parse(rule))
                .isInstanceOfSatisfying(AclSyntaxException.class, e -> assertThat(e.position()).isEqualTo(position))
                .hasMessageStartingWith("at character " + position + ": ")
                .hasMessageContaining(expected);
    }

    @Test
    void controlCharactersAreRefused() {
        assertThatThrownBy(() -> AclExpression.parse("a=x\u0000y")).hasMessage("at character 4: unexpected control character");
    }

    @Test
    void veryLongRulesAreRefusedBeforeParsing() {
        String longest = "a=" + "x".repeat(AclExpression.MAX_LENGTH - 2);
        assertThat(AclExpression.parse(longest).toString()).hasSize(AclExpression.MAX_LENGTH);
        assertThatThrownBy(() -> AclExpression.parse(longest + "x"))
                .hasMessage("at character 1001: expected at most 1000 characters");
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            deep.append('!');
        }
        assertThat(passes(deep + "a=1", user("a", "1"))).as("400 nots, even").isTrue();
        String many = "a=1" + ",a=1".repeat(240);
        assertThat(passes(many, user("a", "1"))).isTrue();
    }
}
