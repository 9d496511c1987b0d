package io.taskmesh.cache;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import tools.jackson.databind.json.JsonMapper;

/** The embedded mode: no cache (an in-process one would break read-your-writes between nodes). */
final class DirectReads implements ReadCache {

    private final JsonMapper json;

    DirectReads(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Optional<CachedJson> ofList(CachedRead read, String userId, Supplier<Optional<Map<String, String>>> members,
            Supplier<?> body) {
        if (!members.get().map(roles -> roles.containsKey(userId)).orElse(false)) {
            return Optional.empty();
        }
        return Optional.of(CachedJson.of(json.writeValueAsBytes(body.get())));
    }

    @Override
    public Optional<Map<String, String>> members(String listId, Supplier<Optional<Map<String, String>>> load) {
        return load.get();
    }

    @Override
    public CachedJson ofUser(CachedRead read, String userId, Supplier<?> body) {
        return CachedJson.of(json.writeValueAsBytes(body.get()));
    }

    @Override
    public Optional<CachedJson> cachedForToken(String tokenHash, CachedRead read) {
        return Optional.empty();
    }

    @Override
    public void changed(Collection<String> listIds, Collection<String> userIds) {
        // nothing cached
    }

    @Override
    public void membersChanged(String listId, Collection<String> userIds) {
        // nothing cached
    }

    @Override
    public Optional<String> tokenOwner(String tokenHash, Supplier<Optional<String>> owner) {
        return owner.get();
    }

    @Override
    public void tokenRevoked() {
        // nothing cached
    }
}
