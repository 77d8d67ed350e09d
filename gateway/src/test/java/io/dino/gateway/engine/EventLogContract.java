package io.dino.gateway.engine;

import io.dino.gateway.events.DomainEvent;
import io.dino.gateway.events.EventType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** What every engine's {@link EventLog} does (docs/events.md); the memory and Redis engines extend this. */
public abstract class EventLogContract {

    protected static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** A new, empty log keeping at least {@code maxLength} entries. */
    protected abstract EventLog newLog(long maxLength);

    protected static DomainEvent event(String room, int n) {
        return new DomainEvent(EventType.MESSAGE, 1_000 + n, room, "u" + n, "", Map.of("n", Integer.toString(n)));
    }

    /** Everything after {@code after} until {@code count} entries were read. */
    protected static List<EventLog.Entry> readAll(EventLog log, String after, int count) {
        List<EventLog.Entry> entries = new ArrayList<>();
        AtomicReference<String> position = new AtomicReference<>(after);
        try (EventLog.Reader reader = log.reader()) {
            await().atMost(TIMEOUT).until(() -> {
                EventLog.Page page = reader.read(position.get(), 50, Duration.ofMillis(100));
                entries.addAll(page.entries());
                position.set(page.next());
                return entries.size() >= count;
            });
        }
        return entries;
    }

    @Test
    void entriesAreReadInTheOrderOneNodeAppendedThemWithTheNodeAndEveryField() {
        try (EventLog log = newLog(1_000)) {
            for (int n = 1; n <= 120; n++) {
                assertThat(log.append("node-a", event("r", n))).isTrue();
            }
            List<EventLog.Entry> entries = readAll(log, EventLog.ORIGIN, 120);
            assertThat(entries).hasSize(120);
            assertThat(entries).extracting(entry -> entry.event().data().get("n"))
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 120).mapToObj(Integer::toString).toList());
            assertThat(entries.getFirst().node()).isEqualTo("node-a");
            assertThat(entries.getFirst().event()).isEqualTo(event("r", 1));
            assertThat(entries).extracting(EventLog.Entry::id).doesNotHaveDuplicates();
            await().atMost(TIMEOUT).until(() -> log.last().equals(entries.getLast().id()));
        }
    }

    @Test
    void aReadAfterAPositionReadsOnlyLaterEntriesAndAReadAfterTheLastWaitsForTheNext() throws Exception {
        try (EventLog log = newLog(1_000)) {
            log.append("node-a", event("r", 1));
            log.append("node-a", event("r", 2));
            List<EventLog.Entry> first = readAll(log, EventLog.ORIGIN, 2);
            assertThat(readAll(log, first.getFirst().id(), 1)).extracting(EventLog.Entry::id).containsExactly(first.get(1).id());
            try (EventLog.Reader reader = log.reader()) {
                EventLog.Page nothing = reader.read(first.get(1).id(), 10, Duration.ofMillis(50));
                assertThat(nothing.entries()).isEmpty();
                assertThat(nothing.next()).isEqualTo(first.get(1).id());
                Thread appender = Thread.ofVirtual().start(() -> log.append("node-b", event("r", 3)));
                EventLog.Page next = reader.read(first.get(1).id(), 10, Duration.ofMillis(900));
                for (int attempt = 0; next.entries().isEmpty() && attempt < 20; attempt++) {
                    next = reader.read(first.get(1).id(), 10, Duration.ofMillis(900));
                }
                appender.join();
                assertThat(next.entries()).extracting(entry -> entry.node() + "/" + entry.event().data().get("n"))
                        .containsExactly("node-b/3");
            }
        }
    }

    @Test
    void theLogKeepsAtLeastItsLengthAndAReadFromTheOriginStartsAtTheOldestKept() {
        try (EventLog log = newLog(100)) {
            for (int n = 1; n <= 1_000; n++) {
                log.append("node-a", event("r", n));
            }
            await().atMost(TIMEOUT).until(() -> lastN(log) == 1_000);
            List<EventLog.Entry> kept = readAll(log, EventLog.ORIGIN, 100);
            String oldest = kept.getFirst().event().data().get("n");
            assertThat(Integer.parseInt(oldest)).as("trimmed oldest first").isGreaterThan(1).isLessThanOrEqualTo(901);
        }
    }

    private static int lastN(EventLog log) {
        List<EventLog.Entry> all = new ArrayList<>();
        String position = EventLog.ORIGIN;
        try (EventLog.Reader reader = log.reader()) {
            while (true) {
                EventLog.Page page = reader.read(position, 500, Duration.ZERO);
                if (page.entries().isEmpty()) {
                    break;
                }
                all.addAll(page.entries());
                position = page.next();
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return all.isEmpty() ? 0 : Integer.parseInt(all.getLast().event().data().get("n"));
    }

    @Test
    void aMalformedPositionIsRefused() {
        try (EventLog log = newLog(10); EventLog.Reader reader = log.reader()) {
            assertThatThrownBy(() -> reader.read("not a position", 10, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
