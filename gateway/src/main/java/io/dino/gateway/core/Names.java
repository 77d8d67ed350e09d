package io.dino.gateway.core;

/** The rules for room names and user ids, shared by both edges. */
public final class Names {

    public static final int MAX_ROOM_LENGTH = 64;
    public static final int MAX_USER_LENGTH = 128;
    /** The sender of backend messages that name none; no user may have this id, so clients can tell them apart. */
    public static final String SYSTEM_SENDER = "system";

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

    /** User ids: 1-128 characters, no control characters, valid Unicode, not {@value #SYSTEM_SENDER}. */
    public static String user(String user) {
        if (user == null || user.isEmpty() || user.length() > MAX_USER_LENGTH
                || user.chars().anyMatch(Character::isISOControl)) {
            throw new DinoException(ErrorCode.INVALID_VALUE,
                    "user id must be 1-" + MAX_USER_LENGTH + " characters without control characters");
        }
        // a lone surrogate has no UTF-8 form: the Redis engine would store it as '?', merging x+U+D800 with "x?"
        if (user.codePoints().anyMatch(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)) {
            throw new DinoException(ErrorCode.INVALID_VALUE, "user id must be valid Unicode (it has a lone surrogate)");
        }
        if (user.equals(SYSTEM_SENDER)) {
            throw new DinoException(ErrorCode.INVALID_VALUE,
                    "user id '" + SYSTEM_SENDER + "' is reserved for messages from the backend");
        }
        return user;
    }

    /** A backend message's sender: a user id, or {@value #SYSTEM_SENDER} when blank or given as such. */
    public static String sender(String sender) {
        if (sender == null || sender.isBlank() || sender.equals(SYSTEM_SENDER)) {
            return SYSTEM_SENDER;
        }
        return user(sender);
    }
}
