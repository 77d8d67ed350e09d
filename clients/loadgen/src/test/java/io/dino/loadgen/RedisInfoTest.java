package io.dino.loadgen;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisInfoTest {

    private static InputStream reply(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void commandsAreArraysOfBulkStringsCountingBytes() {
        assertThat(new String(RedisInfo.command("INFO", "stats", "commandstats"), StandardCharsets.UTF_8))
                .isEqualTo("*3\r\n$4\r\nINFO\r\n$5\r\nstats\r\n$12\r\ncommandstats\r\n");
        assertThat(new String(RedisInfo.command("AUTH", "pässword"), StandardCharsets.UTF_8))
                .isEqualTo("*2\r\n$4\r\nAUTH\r\n$9\r\npässword\r\n");
    }

    @Test
    void readsBulkAndSimpleStringReplies() throws IOException {
        // A bulk string may hold CRLFs of its own; its length says where it ends.
        InputStream in = reply("$32\r\n# Stats\r\ntotal_reads_processed:3\r\n+OK\r\n");

        assertThat(RedisInfo.readReply(in)).isEqualTo("# Stats\r\ntotal_reads_processed:3");
        assertThat(RedisInfo.readReply(in)).isEqualTo("OK");
    }

    @Test
    void errorsAndBrokenRepliesAreIoErrors() {
        assertThatThrownBy(() -> RedisInfo.readReply(reply("-WRONGPASS invalid username-password pair\r\n")))
                .isInstanceOf(IOException.class).hasMessage("Redis: WRONGPASS invalid username-password pair");
        assertThatThrownBy(() -> RedisInfo.readReply(reply("$10\r\nshort\r\n"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> RedisInfo.readReply(reply("$-1\r\n"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> RedisInfo.readReply(reply(":42\r\n"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> RedisInfo.readReply(reply("+OK"))).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }
}
