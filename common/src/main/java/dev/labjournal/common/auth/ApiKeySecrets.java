package dev.labjournal.common.auth;

import dev.labjournal.common.Sha256;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Generates API key secrets and the hashes they are stored as. */
public final class ApiKeySecrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SECRET_BYTES = 20;
    private static final int PREFIX_LENGTH = 12;

    private ApiKeySecrets() {}

    /** A new secret such as {@code lj_ingest_3f9c...}: the kind makes a leaked key easy to recognise. */
    public static String newSecret(String kind) {
        byte[] bytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return "lj_" + kind + "_" + HexFormat.of().formatHex(bytes);
    }

    /** Hex SHA-256: keys are high-entropy random strings, so a fast hash is enough (no dictionary to guess from). */
    public static String hash(String secret) {
        return Sha256.hex(secret);
    }

    /** The first characters of a secret, kept in clear so an operator can tell keys apart. */
    public static String prefix(String secret) {
        return secret.substring(0, Math.min(PREFIX_LENGTH, secret.length()));
    }
}
