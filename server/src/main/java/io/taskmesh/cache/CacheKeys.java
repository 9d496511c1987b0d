package io.taskmesh.cache;

/**
 * The Redis key scheme of the read cache. Version counters ({@code version:list:<id>},
 * {@code version:members:<id>}, {@code version:user:<id>}, {@code version:tokens}) have no TTL; every entry names the version it was read under, so a
 * bump makes the older entries unreachable (they then expire by their TTL).
 */
final class CacheKeys {

    static final String PREFIX = "taskmesh:cache:";

    private CacheKeys() {
    }

    static String listVersion(String listId) {
        return PREFIX + "version:list:" + listId;
    }

    /**
     * The version of a list's member ids, apart from {@link #listVersion}: a task write then leaves the
     * members cached, and the read after it loads only the page.
     */
    static String membersVersion(String listId) {
        return PREFIX + "version:members:" + listId;
    }

    static String userVersion(String userId) {
        return PREFIX + "version:user:" + userId;
    }

    /** One counter for all access tokens: revocations are rare, and any one invalidates every owner. */
    static String tokensVersion() {
        return PREFIX + "version:tokens";
    }

    /**
     * The members of a list and their roles at a {@link #membersVersion} (the access check of that list).
     * Not {@code members:} nor {@code member-ids:}, the prefixes of older builds, which stored other
     * contents (ids only).
     */
    static String members(String listId, String membersVersion) {
        return PREFIX + "member-roles:" + listId + ":" + membersVersion;
    }

    /** A cached value: {@code read} names the endpoint (or {@code token}), {@code variant} its parameters. */
    static String entry(String read, String ownerId, String version, String variant) {
        return PREFIX + read + ":" + ownerId + ":" + version + ":" + variant;
    }

    /**
     * A cached answer, stored as {@link CachedJson#stored} gives it (gzip from 1 KB): the suffix keeps
     * it apart from the keys of older builds, which stored the JSON as is and would serve gzip as JSON.
     */
    static String answer(String read, String ownerId, String version, String variant) {
        return entry(read, ownerId, version, variant) + ":gz";
    }
}
