package io.dino.gateway.core;

import io.dino.gateway.engine.Control;
import io.dino.gateway.engine.Draft;
import io.dino.gateway.engine.LogId;
import io.dino.gateway.engine.Publication;
import io.dino.gateway.engine.RecordingListener;
import io.dino.gateway.engine.memory.IdempotencyCache;
import io.dino.gateway.engine.memory.MemoryBroker;
import io.dino.gateway.engine.memory.MemoryDirectory;
import io.dino.gateway.engine.memory.MemoryRoles;
import io.dino.gateway.engine.memory.MemoryRoomAcls;
import io.dino.gateway.engine.memory.MemoryTombstones;
import io.dino.gateway.events.DomainEvent;
import io.dino.gateway.events.EventType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Deletes and restores tell the room's holders (a control command) and other services (DELETED / RESTORED domain events). */
class MessageDeletesEventsTest {

    private final List<DomainEvent> events = new CopyOnWriteArrayList<>();
    private final RecordingListener holders = new RecordingListener();
    private MemoryBroker broker;
    private MessageDeletes deletes;

    @BeforeEach
    void start() {
        broker = new MemoryBroker("e1", 100, Duration.ZERO, Long.MAX_VALUE,
                new IdempotencyCache(Duration.ofMinutes(1), 100, InstantSource.system()), InstantSource.system());
        broker.start(holders);
        RoomPolicy policy = new RoomPolicy(new MemoryRoomAcls(), new MemoryDirectory(), new MemoryRoles(), Runnable::run, true);
        deletes = new MessageDeletes(broker, new MemoryTombstones(broker), policy, events::add, InstantSource.system());
    }

    private Publication publish(String sender) {
        long now = System.currentTimeMillis();
        return broker.publish(LogId.room("hall"), new Draft(Ids.next(now), sender, now, "\"x\"", ""));
    }

    @Test
    void aMessageDeletionAndItsRestoreAreEventsNamingTheAuthorAndWhoDidIt() {
        Publication sent = publish("alice");
        broker.subscribe(LogId.room("hall"));
        deletes.deleteMessages("hall", new MessageDeletes.Target.Message(sent.id(), OptionalLong.empty()), "admin");
        deletes.restoreMessages("hall", new MessageDeletes.Target.Message(sent.id(), OptionalLong.of(1)), "");

        assertThat(events).extracting(DomainEvent::type).containsExactly(EventType.DELETED, EventType.RESTORED);
        DomainEvent deleted = events.getFirst();
        assertThat(List.of(deleted.room(), deleted.user(), deleted.by())).containsExactly("hall", "alice", "admin");
        assertThat(deleted.data()).isEqualTo(Map.of("messageIds", sent.id()));
        assertThat(events.get(1).by()).isEqualTo(Moderation.SYSTEM);
        assertThat(holders.controls).containsExactly(
                new Control.DeletionsChanged("hall", "admin", List.of(sent.id()), "", false, io.dino.gateway.engine.Position.EMPTY, false),
                new Control.DeletionsChanged("hall", "system", List.of(sent.id()), "", false, io.dino.gateway.engine.Position.EMPTY, true));
    }

    @Test
    void aUsersOrTheRoomsDeletionSaysUpToWhereAndARestoreOfNothingIsNoEvent() {
        Publication first = publish("bob");
        publish("carol");
        deletes.deleteMessages("hall", new MessageDeletes.Target.User("bob"), "mod");
        deletes.deleteMessages("hall", new MessageDeletes.Target.All(), "mod");
        deletes.restoreMessages("hall", new MessageDeletes.Target.All(), "op");
        deletes.restoreMessages("hall", new MessageDeletes.Target.All(), "op");

        String epoch = first.position().epoch();
        assertThat(events).extracting(DomainEvent::type).containsExactly(EventType.DELETED, EventType.DELETED, EventType.RESTORED);
        assertThat(events.get(0).data()).isEqualTo(Map.of("user", "bob", "epoch", epoch, "offset", "2"));
        assertThat(events.get(0).user()).isEqualTo("bob");
        assertThat(events.get(1).data()).isEqualTo(Map.of("all", "true", "epoch", epoch, "offset", "2"));
        assertThat(events.get(2).data()).isEqualTo(Map.of("all", "true"));
    }
}
