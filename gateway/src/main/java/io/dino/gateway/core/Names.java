package io.dino.gateway.core;

/** The rules for room names and user ids, shared by both edges. */
public final class Names {

    public static final int MAX_ROOM_LENGTH = 64;
    public static final int MAX_USER_LENGTH = 128;

    private Names() {
    }

    /** Room names: 1-64 characters of letters, digits and {@code . _ : -}. */
    public static String room(String room) {
        if (room == null || room.isEmpty() || room.length() > MAX_ROOM_LENGTH) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "room must be 1-" + MAX_ROOM_LENGTH + " characters");
        }
        for (int i = 0; i < room.length(); i++) {
            char c = room.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!allowed) {
                throw new DinoException(ErrorCode.INVALID_VALUE,
                        "room may contain only letters, digits and . _ : - (got '" + c + "')");
            }
        }
        return room;
    }

    /** User ids: 1-128 characters, no control characters. */
    public static String user(String user) {
        if (user == null || user.isEmpty() || user.length() > MAX_USER_LENGTH
                || user.chars().anyMatch(Character::isISOControl)) {
            throw new DinoException(ErrorCode.INVALID_VALUE,
                    "user id must be 1-" + MAX_USER_LENGTH + " characters without control characters");
        }
        return user;
    }
}
