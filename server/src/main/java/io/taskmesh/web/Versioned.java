package io.taskmesh.web;

import java.util.OptionalLong;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * Strong ETags built from a resource's integer version ({@code "<version>"}) and the
 * {@code If-Match} / {@code If-None-Match} rules of the API.
 */
public final class Versioned {

    private Versioned() {
    }

    public static String etag(long version) {
        return "\"" + version + "\"";
    }

    /**
     * The version an {@code If-Match} header demands, or empty when the header is absent or
     * {@code *}. A header that names no version this server could have issued matches nothing.
     */
    public static OptionalLong expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return OptionalLong.empty();
        }
        for (String candidate : ifMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.length() >= 3 && tag.startsWith("\"") && tag.endsWith("\"")) {
                try {
                    return OptionalLong.of(Long.parseLong(tag.substring(1, tag.length() - 1)));
                } catch (NumberFormatException ignored) {
                    // not one of ours; keep looking
                }
            }
        }
        return OptionalLong.of(-1);
    }

    /** True when {@code If-None-Match} names the current version (or is {@code *}). */
    public static boolean notModified(String ifNoneMatch, long version) {
        if (ifNoneMatch == null) {
            return false;
        }
        String current = etag(version);
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || tag.equals(current) || tag.equals("W/" + current)) {
                return true;
            }
        }
        return false;
    }

    /** A 200 with the body and its ETag, or a bodiless 304 when the client already has it. */
    public static <T> ResponseEntity<T> read(T body, long version, String ifNoneMatch) {
        if (notModified(ifNoneMatch, version)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag(version)).build();
        }
        return ResponseEntity.ok().eTag(etag(version)).body(body);
    }

    /** Fails with 412 when the client's {@code If-Match} does not name the current version. */
    public static void checkIfMatch(String ifMatch, long currentVersion) {
        OptionalLong expected = expectedVersion(ifMatch);
        if (expected.isPresent() && expected.getAsLong() != currentVersion) {
            throw ApiException.preconditionFailed(currentVersion);
        }
    }
}
