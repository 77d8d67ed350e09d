package io.dino.gateway.e2e;

import io.dino.api.v1.CreateRoomRequest;
import io.dino.api.v1.RoomKind;
import io.dino.client.DinoClient;
import io.dino.client.DinoException;
import io.dino.client.EventRecorder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.dino.gateway.e2e.AccessControlTest.refusal;
import static org.assertj.core.api.Assertions.assertThat;

/** Cross-room sends through real sockets: the channel's crossroom rule applies, and rooms of two channels never mix. */
class ChannelCrossRoomTest {

    @RegisterExtension
    static final OneNode single = OneNode.withDefaults();

    @BeforeAll
    static void start() {
        single.backend().createChannel("xr-heralds", "", 0, List.of(), Map.of("crossroom", "role=herald"));
        single.backend().createChannel("xr-other", "", 0, List.of(), Map.of());
        room("xr-hall", "xr-heralds", "Hall");
        room("xr-stage", "xr-heralds", "Stage");
        room("xr-elsewhere", "xr-other", "Elsewhere");
    }

    private static void room(String id, String channel, String name) {
        single.backend().createRoom(CreateRoomRequest.newBuilder().setId(id).setChannel(channel).setName(name)
                .setKind(RoomKind.ROOM_KIND_STATIC).build());
    }

    @Test
    void theChannelsCrossroomRuleDecidesBetweenItsRooms() {
        DinoClient commoner = single.node().client("xr-commoner", new EventRecorder());
        commoner.join("xr-hall").join();
        DinoException refused = refusal(commoner.sendVia("xr-stage", "xr-hall", "me too"));
        assertThat(refused.name()).isEqualTo("NOT_ALLOWED");
        assertThat(refused.getMessage()).isEqualTo("not allowed to send to room 'xr-stage' from room 'xr-hall': needs role=herald");

        DinoClient herald = single.node().client("xr-herald", Set.of("herald"), Map.of(), new EventRecorder());
        herald.join("xr-hall").join();
        assertThat(herald.sendVia("xr-stage", "xr-hall", "hear ye").join().get("offset").asLong()).isEqualTo(1);
    }

    @Test
    void roomsOfTwoChannelsDoNotTakeCrossRoomSendsEvenFromOperators() {
        DinoClient operator = single.node().operatorClient("xr-op", new EventRecorder());
        operator.join("xr-hall").join();
        DinoException refused = refusal(operator.sendVia("xr-elsewhere", "xr-hall", "over the wall"));
        assertThat(refused.name()).isEqualTo("NOT_ALLOWED");
        assertThat(refused.getMessage())
                .isEqualTo("not allowed to send to room 'xr-elsewhere' from room 'xr-hall': the rooms are in different channels");
    }
}
