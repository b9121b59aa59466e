package dev.labjournal.common.auth;

import java.util.Optional;

/** Reads the API key out of an {@code Authorization} header: {@code Bearer <key>}. */
public final class BearerToken {

    private static final String BEARER = "Bearer ";

    private BearerToken() {}

    /**
     * The key of a {@code Bearer} header, trimmed; empty when the header is missing, names another scheme (the
     * scheme is matched as written: {@code Bearer} and one space) or carries no key.
     */
    public static Optional<String> parse(String header) {
        if (header == null || !header.startsWith(BEARER)) {
            return Optional.empty();
        }
        String key = header.substring(BEARER.length()).trim();
        return key.isEmpty() ? Optional.empty() : Optional.of(key);
    }
}
