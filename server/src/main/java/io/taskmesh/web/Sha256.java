package io.taskmesh.web;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 written as lower-case hex: token hashes, idempotency request hashes, derived ids. */
public final class Sha256 {

    private Sha256() {
    }

    /** The hex SHA-256 of the parts fed in order (the same as of their concatenation). */
    public static String hex(byte[]... parts) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        for (byte[] part : parts) {
            digest.update(part);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
