package io.dino.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FrameAssemblerTest {

    private final FrameAssembler assembler = new FrameAssembler();

    @Test
    void wholeMessagePassesThroughAsACopy() {
        StringBuilder buffer = new StringBuilder("{\"event\":\"joined\"}");
        String message = assembler.add(buffer, true);
        buffer.setLength(0); // the WebSocket may reuse its buffer after the call

        assertThat(message).isEqualTo("{\"event\":\"joined\"}");
    }

    @Test
    void partsAreJoinedUntilTheLastOne() {
        assertThat(assembler.add("{\"id\":1,", false)).isNull();
        assertThat(assembler.add("\"result\":", false)).isNull();
        assertThat(assembler.add("{}}", true)).isEqualTo("{\"id\":1,\"result\":{}}");
        // The next message starts fresh.
        assertThat(assembler.add("{}", true)).isEqualTo("{}");
    }

    @Test
    void emptyPartsAreAllowed() {
        assertThat(assembler.add("", false)).isNull();
        assertThat(assembler.add("abc", false)).isNull();
        assertThat(assembler.add("", true)).isEqualTo("abc");
    }
}
