package io.dino.gateway.auth;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Turns configured secrets and PEM public keys into JWKs. */
final class Keys {

    private static final int MIN_HMAC_BYTES = 32;

    private Keys() {
    }

    static List<JWK> fromSettings(AuthSettings settings) {
        List<JWK> keys = new ArrayList<>();
        for (String secret : settings.hmacSecrets()) {
            keys.add(hmacKey(secret));
        }
        for (AuthSettings.PublicKeySetting setting : settings.publicKeys()) {
            keys.add(publicKey(setting));
        }
        return keys;
    }

    static OctetSequenceKey hmacKey(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_HMAC_BYTES) {
            throw new IllegalArgumentException("an HMAC secret must be at least " + MIN_HMAC_BYTES + " bytes, got "
                    + bytes.length);
        }
        return new OctetSequenceKey.Builder(bytes).keyUse(KeyUse.SIGNATURE).build();
    }

    private static JWK publicKey(AuthSettings.PublicKeySetting setting) {
        PublicKey key = parsePem(setting.pem());
        String keyId = setting.keyId().isEmpty() ? null : setting.keyId();
        return switch (key) {
            case RSAPublicKey rsa -> new RSAKey.Builder(rsa).keyID(keyId).keyUse(KeyUse.SIGNATURE).build();
            case ECPublicKey ec -> new ECKey.Builder(curveOf(ec), ec).keyID(keyId).keyUse(KeyUse.SIGNATURE).build();
            default -> throw new IllegalArgumentException("unsupported public key type " + key.getAlgorithm());
        };
    }

    private static Curve curveOf(ECPublicKey key) {
        Curve curve = Curve.forECParameterSpec(key.getParams());
        if (!Curve.P_256.equals(curve)) {
            throw new IllegalArgumentException("EC public keys must be on curve P-256 (ES256), got " + curve);
        }
        return curve;
    }

    private static PublicKey parsePem(String pem) {
        String base64 = pem.replace("-----BEGIN PUBLIC KEY-----", "")
                .replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a public key is not valid PEM (expected -----BEGIN PUBLIC KEY-----)", e);
        }
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException ignored) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("a public key is neither an RSA nor an EC key in X.509 PEM form");
    }
}
