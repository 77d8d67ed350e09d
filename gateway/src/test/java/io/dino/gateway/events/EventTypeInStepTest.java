package io.dino.gateway.events;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's {@link EventType} and the proto enum {@code dino.v1.EventType} name the same types, in step. */
class EventTypeInStepTest {

    @Test
    void everyTypeIsInTheProtoEnumUnderItsNameAndTheOtherWayRound() {
        assertThat(Arrays.stream(io.dino.api.v1.EventType.values())
                .filter(type -> type != io.dino.api.v1.EventType.EVENT_TYPE_UNSPECIFIED
                        && type != io.dino.api.v1.EventType.UNRECOGNIZED)
                .map(Enum::name))
                .containsExactlyElementsOf(Arrays.stream(EventType.values()).map(Enum::name).toList());
    }

    @Test
    void theProtoFileGivesEachTypeItsWireName() throws Exception {
        String proto = Files.readString(Path.of("../proto/dino/v1/events.proto"));
        Matcher values = Pattern.compile("(?m)^\\s+([A-Z_]+) = \\d+;\\s+// \"([a-z-]+)\"").matcher(proto);
        Map<String, String> documented = new LinkedHashMap<>();
        while (values.find()) {
            documented.put(values.group(1), values.group(2));
        }
        Map<String, String> actual = new LinkedHashMap<>();
        for (EventType type : EventType.values()) {
            actual.put(type.name(), type.wireName());
        }
        assertThat(documented).containsExactlyEntriesOf(actual);
    }

    @Test
    void docsEventsMdDescribesEveryType() throws Exception {
        String doc = Files.readString(Path.of("../docs/events.md"));
        for (EventType type : EventType.values()) {
            assertThat(doc).as("docs/events.md names %s", type.wireName()).contains("| `" + type.wireName() + "` |");
        }
    }
}
