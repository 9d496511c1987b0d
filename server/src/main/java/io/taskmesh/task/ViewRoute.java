package io.taskmesh.task;

import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.stereotype.Component;

import io.taskmesh.cache.CachedRead;
import io.taskmesh.cache.CachedReadRoute;
import io.taskmesh.web.ApiException;

/** {@code GET /api/v1/tasks} without cursor or search: the first page of a view {@link ViewController} caches. */
@Component
class ViewRoute implements CachedReadRoute {

    private static final String PATH = "/api/v1/tasks";
    private static final Set<String> PARAMETERS = Set.of("view", "limit", "tz");

    @Override
    public String template() {
        return PATH;
    }

    @Override
    public Optional<CachedRead> match(String path, Map<String, String> query) {
        if (!path.equals(PATH) || !PARAMETERS.containsAll(query.keySet())) {
            return Optional.empty();
        }
        try {
            return Optional.of(ViewController.firstPage(ViewController.view(query.get("view")),
                    LocalDate.now(ViewController.zone(query.get("tz"))), PageLimit.parse(query.get("limit"))));
        } catch (ApiException refused) {
            return Optional.empty();
        }
    }
}
