package io.dino.gateway.core;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Message and session ids: 26 characters of Crockford base32, time first so ids sort roughly by
 * creation (48 bits of milliseconds, then 80 random bits, as in ULID).
 */
public final class Ids {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private Ids() {
    }

    public static String next(long timeMillis) {
        char[] id = new char[26];
        long time = timeMillis;
        for (int i = 9; i >= 0; i--) {
            id[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong();
        long low = random.nextLong();
        for (int i = 10; i < 26; i++) {
            long source = i < 18 ? high : low;
            id[i] = ALPHABET[(int) ((source >>> ((i % 8) * 5)) & 31)];
        }
        return new String(id);
    }
}
