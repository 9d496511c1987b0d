package io.taskmesh.cache;

/**
 * Which cached answer a read is: {@code read} names the endpoint, {@code variant} its parameters;
 * {@code listId} is set for reads of one list's contents (keyed by the list's version, for its
 * members) and null for reads keyed by what one user can see.
 */
public record CachedRead(String read, String listId, String variant) {

    public static CachedRead ofList(String read, String listId, String variant) {
        return new CachedRead(read, listId, variant);
    }

    public static CachedRead ofUser(String read, String variant) {
        return new CachedRead(read, null, variant);
    }
}
