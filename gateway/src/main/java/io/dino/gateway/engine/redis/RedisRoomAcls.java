package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.RoomAcls;
import io.lettuce.core.ScriptOutputType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The redis engine's room rules: one hash per room, {@code dino:{r:ROOM}:acl} (action → rule text), in
 * the room's hash slot. {@code acl.lua} replaces it whole, so readers never see a mix of old and new.
 */
final class RedisRoomAcls implements RoomAcls {

    private static final Scripts SET = Scripts.load("acl.lua");

    private final Keys keys;
    private final Connection connection;

    RedisRoomAcls(Keys keys, Connection connection) {
        this.keys = keys;
        this.connection = connection;
    }

    @Override
    public Map<String, String> get(String room) {
        return Map.copyOf(RedisBroker.redis(() -> connection.sync().hgetall(keys.roomAcl(room))));
    }

    @Override
    public void set(String room, Map<String, String> rules) {
        List<String> args = new ArrayList<>();
        rules.forEach((action, rule) -> {
            args.add(action);
            args.add(rule);
        });
        RedisBroker.redis(() -> SET.run(connection.sync(), ScriptOutputType.INTEGER, new String[]{keys.roomAcl(room)},
                args.toArray(String[]::new)));
    }
}
