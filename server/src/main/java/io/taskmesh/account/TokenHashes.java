package io.taskmesh.account;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.taskmesh.web.Sha256;

/**
 * The stored form of a personal access token: the SHA-256 of its secret (a fast hash is enough for
 * 256 random bits and keeps the per-request look-up cheap). Malformed secrets have none.
 */
public final class TokenHashes {

    static final String PREFIX = "tm_";
    private static final String BEARER = "Bearer ";

    private TokenHashes() {
    }

    /** The hash of the token in an {@code Authorization} header; empty unless it is a well-formed bearer token. */
    public static Optional<String> ofAuthorization(String header) {
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return ofSecret(header.substring(BEARER.length()).trim());
    }

    static Optional<String> ofSecret(String secret) {
        if (!secret.startsWith(PREFIX) || secret.length() > 100) {
            return Optional.empty();
        }
        return Optional.of(Sha256.hex(secret.getBytes(StandardCharsets.UTF_8)));
    }
}
