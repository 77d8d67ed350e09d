package io.dino.gateway.engine.redis;

import io.dino.gateway.engine.RoomAcls;
import io.lettuce.core.ScriptOutputType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The redis engine's room rules: one hash per room, {@code dino:{r:ROOM}:acl} (action → rule text), in
 * the room's hash slot. {@code acl.lua} replaces it whole, so readers never see a mix of old and new.
 *
 * <p>Which rooms have a rule for an action is indexed in one set per action ({@link Keys#roomsWithRule}), in
 * another slot, so it cannot be written by the same script. {@link #set}, in this order: reads the actions the
 * room has now; adds the room to the sets of its new actions (so a reader that sees a rule finds the room);
 * writes the rules; adds again (a concurrent set that removed the entry between the first add and the write
 * cannot leave it missing); removes the room from the sets of the actions it no longer has, each followed by a
 * look at the rules, re-adding when a concurrent set gave the action back. The index is thus a superset of the
 * rooms having a rule (a failure part way leaves an extra entry, never a missing one), and
 * {@link #roomsWithRule} checks each indexed room against its rules.
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
        List<String> before = RedisBroker.redis(() -> connection.sync().hkeys(keys.roomAcl(room)));
        index(room, rules);
        write(room, rules);
        index(room, rules);
        for (String action : before) {
            if (!rules.containsKey(action)) {
                RedisBroker.redis(() -> connection.sync().srem(keys.roomsWithRule(action), room));
                if (RedisBroker.redis(() -> connection.sync().hexists(keys.roomAcl(room), action))) {
                    RedisBroker.redis(() -> connection.sync().sadd(keys.roomsWithRule(action), room));
                }
            }
        }
    }

    private void index(String room, Map<String, String> rules) {
        for (String action : rules.keySet()) {
            RedisBroker.redis(() -> connection.sync().sadd(keys.roomsWithRule(action), room));
        }
    }

    @Override
    public Set<String> roomsWithRule(String action) {
        Set<String> indexed = RedisBroker.redis(() -> connection.sync().smembers(keys.roomsWithRule(action)));
        Set<String> rooms = new HashSet<>();
        for (String room : indexed) {
            if (RedisBroker.redis(() -> connection.sync().hexists(keys.roomAcl(room), action))) {
                rooms.add(room);
            }
        }
        return Set.copyOf(rooms);
    }

    private void write(String room, Map<String, String> rules) {
        List<String> args = new ArrayList<>();
        rules.forEach((action, rule) -> {
            args.add(action);
            args.add(rule);
        });
        RedisBroker.redis(() -> SET.run(connection.sync(), ScriptOutputType.INTEGER, new String[]{keys.roomAcl(room)},
                args.toArray(String[]::new)));
    }
}
