package io.taskmesh.list;

import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

import io.taskmesh.cache.CachedRead;
import io.taskmesh.cache.CachedReadRoute;

/** {@code GET /api/v1/lists}: every list of the caller, as {@link ListController} caches it. */
@Component
class ListsRoute implements CachedReadRoute {

    static final CachedRead ALL = CachedRead.ofUser("lists", "all");
    private static final String PATH = "/api/v1/lists";

    @Override
    public String template() {
        return PATH;
    }

    @Override
    public Optional<CachedRead> match(String path, Map<String, String> query) {
        return path.equals(PATH) && query.isEmpty() ? Optional.of(ALL) : Optional.empty();
    }
}
