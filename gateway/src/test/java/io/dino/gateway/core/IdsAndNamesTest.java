package io.dino.gateway.core;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdsAndNamesTest {

    @Test
    void idsAreUniqueAndSortByTime() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(Ids.next(1_700_000_000_000L));
        }
        assertThat(ids).hasSize(10_000).allMatch(id -> id.length() == 26 && id.matches("[0-9A-HJKMNP-TV-Z]+"));
        assertThat(Ids.next(1_700_000_000_000L)).isLessThan(Ids.next(1_700_000_000_001L));
    }

    @Test
    void roomNamesAllowLettersDigitsAndSomePunctuation() {
        assertThat(Names.room("team-7:general_v2.0")).isEqualTo("team-7:general_v2.0");
        for (String bad : new String[] {"", "with space", "emoji🙂", "slash/room", "x".repeat(65), "lone\uD800"}) {
            assertThatThrownBy(() -> Names.room(bad)).isInstanceOfSatisfying(DinoException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_VALUE));
        }
    }

    @Test
    void userIdsRefuseControlCharactersAndExcessLength() {
        assertThat(Names.user("Zoë Müller")).isEqualTo("Zoë Müller");
        for (String bad : new String[] {"", "tab\there", "x".repeat(129)}) {
            assertThatThrownBy(() -> Names.user(bad)).isInstanceOf(DinoException.class);
        }
    }

    @Test
    void userIdsMustBeValidUnicode() {
        assertThat(Names.user("astral🙂")).isEqualTo("astral🙂");
        for (String bad : new String[] {"x\uD800", "x\uDC00", "\uDC00\uD800", "\uD83D"}) {
            assertThatThrownBy(() -> Names.user(bad)).isInstanceOfSatisfying(DinoException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_VALUE);
                assertThat(e.getMessage()).contains("lone surrogate");
            });
        }
    }

    @Test
    void systemIsReservedForBackendMessagesAndIsTheDefaultSender() {
        assertThatThrownBy(() -> Names.user("system")).isInstanceOfSatisfying(DinoException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_VALUE);
            assertThat(e.getMessage()).contains("reserved");
        });
        assertThat(Names.user("System")).isEqualTo("System");
        assertThat(Names.sender("")).isEqualTo("system");
        assertThat(Names.sender("system")).isEqualTo("system");
        assertThat(Names.sender("billing")).isEqualTo("billing");
    }

    @Test
    void errorCodesAreUniqueAndSessionEndingOnesAreValidCloseCodes() {
        Set<Integer> codes = new HashSet<>();
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(codes.add(code.code())).as("duplicate code %s", code.code()).isTrue();
        }
        assertThat(ErrorCode.INVALID_TOKEN.code()).isBetween(4000, 4999);
        assertThat(ErrorCode.SLOW_CONSUMER.code()).isBetween(4000, 4999);
    }
}
