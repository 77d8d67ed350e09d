package io.dino.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/** The backend API keys; comparison takes the same time whatever the key, so keys can't be guessed by timing. */
public final class ApiKeys {

    private final List<byte[]> keys;

    public ApiKeys(List<String> keys) {
        this.keys = keys.stream().map(key -> key.getBytes(StandardCharsets.UTF_8)).toList();
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    public boolean accepts(String presented) {
        if (presented == null) {
            return false;
        }
        byte[] candidate = presented.getBytes(StandardCharsets.UTF_8);
        boolean accepted = false;
        for (byte[] key : keys) {
            accepted |= MessageDigest.isEqual(key, candidate);
        }
        return accepted;
    }
}
