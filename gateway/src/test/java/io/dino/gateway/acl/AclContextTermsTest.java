package io.dino.gateway.acl;

import io.dino.gateway.auth.Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The terms that see the subject's context: {@code sameroom}, {@code samechannel}, and roles held in context. */
class AclContextTermsTest {

    private static final Principal ANN = new Principal("ann", Set.of("vip"), Map.of("age", "30"), Instant.MAX);
    private static final AclSubject OUTSIDE = AclSubject.of(ANN, false, false);
    private static final AclSubject IN_CHANNEL = AclSubject.of(ANN, false, true);
    private static final AclSubject IN_ROOM = AclSubject.of(ANN, true, true);

    private static Verdict evaluate(String rule, AclSubject subject) {
        return AclExpression.parse(rule).evaluate(subject);
    }

    @Test
    void sameroomPassesOnlyInTheRoom() {
        assertThat(evaluate("sameroom", IN_ROOM).passed()).isTrue();
        assertThat(evaluate("sameroom", IN_CHANNEL).failed()).isEqualTo("sameroom");
        assertThat(evaluate("sameroom", OUTSIDE).failed()).isEqualTo("sameroom");
    }

    @Test
    void samechannelPassesInAnyRoomOfTheChannel() {
        assertThat(evaluate("samechannel", IN_ROOM).passed()).isTrue();
        assertThat(evaluate("samechannel", IN_CHANNEL).passed()).isTrue();
        assertThat(evaluate("samechannel", OUTSIDE).failed()).isEqualTo("samechannel");
    }

    @Test
    void inTheRoomImpliesInTheChannel() {
        assertThat(AclSubject.of(ANN, true, false).inChannel()).isTrue();
    }

    @Test
    void negatedTermsAreNeverMissing() {
        assertThat(evaluate("!sameroom", OUTSIDE).passed()).isTrue();
        assertThat(evaluate("!sameroom", IN_ROOM).failed()).isEqualTo("!sameroom");
        assertThat(evaluate("!samechannel", IN_CHANNEL).failed()).isEqualTo("!samechannel");
        // under an OR, a failing context term leaves the other alternative to decide
        assertThat(evaluate("!(samechannel|age=:17)", OUTSIDE).passed()).isTrue();
    }

    @Test
    void contextTermsCombineWithAttributes() {
        assertThat(evaluate("samechannel,age=18:", IN_CHANNEL).passed()).isTrue();
        assertThat(evaluate("samechannel,age=:17", IN_CHANNEL).failed()).isEqualTo("age=:17");
        assertThat(evaluate("sameroom|role=vip", OUTSIDE).passed()).isTrue();
        assertThat(evaluate("(sameroom|samechannel),gender=f", IN_CHANNEL).failed()).isEqualTo("gender=f (no gender in the token)");
    }

    @Test
    void theTokenAloneIsInNoRoom() {
        assertThat(AclExpression.parse("samechannel").evaluate(ANN).passed()).isFalse();
        assertThat(AclExpression.parse("!sameroom").evaluate(ANN).passed()).isTrue();
    }

    @Test
    void roleTermsSeeRolesHeldInContext() {
        AclSubject owner = OUTSIDE.withContextRoles(Set.of("owner", "channel-admin"));
        assertThat(evaluate("role=owner", owner).passed()).isTrue();
        assertThat(evaluate("role=channel-admin;moderator", owner).passed()).isTrue();
        assertThat(evaluate("role=vip", owner).passed()).isTrue();  // the token's roles still count
        assertThat(evaluate("role=moderator", owner).failed()).isEqualTo("role=moderator");
        assertThat(evaluate("role=!owner", owner).failed()).isEqualTo("role=!owner");
        assertThat(evaluate("role=owner", OUTSIDE).passed()).isFalse();
    }

    @Test
    void contextRolesDoNotMakeAnOperator() {
        AclSubject subject = OUTSIDE.withContextRoles(Set.of(Principal.SUPER_USER));
        assertThat(subject.isOperator()).isFalse();
        assertThat(RoomAcl.parse(Map.of("join", "deny")).check(subject, RoomAction.JOIN).passed()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '#', value = {
            " sameroom #sameroom",
            "!( sameroom | samechannel )#!(sameroom|samechannel)",
            "samechannel , ! sameroom#samechannel,!sameroom",
    })
    void canonicalForm(String rule, String canonical) {
        assertThat(AclExpression.parse(rule).toString()).isEqualTo(canonical);
        assertThat(AclExpression.parse(canonical)).isEqualTo(AclExpression.parse(rule));
    }

    @Test
    void followedByEqualsTheWordsAreAttributeNamesAsDenyIs() {
        AclSubject withAttribute = AclSubject.of(new Principal("u", Set.of(), Map.of("sameroom", "x"), Instant.MAX), false, false);
        assertThat(evaluate("sameroom=x", withAttribute).passed()).isTrue();
        assertThat(evaluate("sameroom=x", IN_ROOM).failed()).isEqualTo("sameroom=x (no sameroom in the token)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '#', value = {
            "sameroom=#10#expected a value after '='",
            "sameroom samechannel#10#expected ',', '|' or the end of the rule",
            "sameroom:1#9#expected ',', '|' or the end of the rule",
            "samechannel;x#12#expected ',', '|' or the end of the rule",
            "sameRoom#9#expected '=' after 'sameRoom'",
            "!#2#expected a rule (a term such as gender=f, 'deny', 'sameroom', 'samechannel', '!' or '(')",
            ";#1#expected an attribute name, 'deny', 'sameroom', 'samechannel', '!' or '('",
    })
    void invalidUsesAreRefused(String rule, int position, String expected) {
        assertThatThrownBy(() -> AclExpression.parse(rule))
                .isInstanceOfSatisfying(AclSyntaxException.class, e -> assertThat(e.position()).isEqualTo(position))
                .hasMessage("at character " + position + ": " + expected);
    }
}
