package io.taskmesh.cache;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.springframework.http.ResponseEntity;

/**
 * Cache-aside for the hot reads, keyed by version counters that every write bumps before it
 * answers. Results are the JSON bytes the controller answers with. Without Redis the reads go
 * straight to the loaders ({@link DirectReads}).
 */
public interface ReadCache {

    /**
     * A read of one list's contents ({@link CachedRead#listId()} set), for members only. {@code members}
     * loads the list's members as {@link #members} does; {@code body} loads the response. Empty when
     * {@code userId} is not a member, which the caller answers with 404.
     */
    Optional<CachedJson> ofList(CachedRead read, String userId, Supplier<Optional<Map<String, String>>> members,
            Supplier<?> body);

    /**
     * The members of a list and their roles (user id to role name), for access checks; {@code load}
     * reads them from MongoDB (empty when the list does not exist). Keyed by the list's members
     * version, so a member added, removed or given another role is seen at once on every node.
     */
    Optional<Map<String, String>> members(String listId, Supplier<Optional<Map<String, String>>> load);

    /** A read that depends only on what {@code userId} can see (the user's lists, the views). */
    CachedJson ofUser(CachedRead read, String userId, Supplier<?> body);

    /**
     * The answer to {@code read} for the owner of the access token with this hash, when this node
     * already holds everything it needs and Redis confirms in one round trip that none of it is out
     * of date (the token not revoked, the list or the user's view not changed since). Loads nothing:
     * empty on anything missing or uncertain, and the caller then takes the normal path.
     */
    Optional<CachedJson> cachedForToken(String tokenHash, CachedRead read);

    /**
     * Reports a write: the contents of {@code listIds} changed, and so did what {@code userIds}
     * see. Must be called after the write reached MongoDB and before the client is answered.
     */
    void changed(Collection<String> listIds, Collection<String> userIds);

    /**
     * Reports a write to who may read {@code listId} (a member added, removed or given another role,
     * or the list deleted): its contents and members changed, and so did what {@code userIds} see.
     * Called as {@link #changed} is.
     */
    void membersChanged(String listId, Collection<String> userIds);

    /**
     * The id of the user a personal access token belongs to, found by the token's hash; {@code owner}
     * loads it (empty when there is no such token, which is not cached). Every revocation makes every
     * cached owner unreachable ({@link #tokenRevoked}).
     */
    Optional<String> tokenOwner(String tokenHash, Supplier<Optional<String>> owner);

    /** Reports a revoked token: after the delete reached MongoDB and before the client is answered. */
    void tokenRevoked();

    /** The 200 answer carrying cached JSON, compressed for a client whose {@code Accept-Encoding} allows gzip. */
    static ResponseEntity<byte[]> ok(CachedJson body, String acceptEncoding) {
        CachedJson.Encoded encoded = body.encodedFor(acceptEncoding);
        return ResponseEntity.ok().headers(encoded.headers()).body(encoded.bytes());
    }
}
