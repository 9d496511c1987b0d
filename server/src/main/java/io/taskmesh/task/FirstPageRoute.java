package io.taskmesh.task;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.stereotype.Component;

import io.taskmesh.cache.CachedRead;
import io.taskmesh.cache.CachedReadRoute;
import io.taskmesh.list.Lists;
import io.taskmesh.web.ApiException;

/** {@code GET /api/v1/lists/{listId}/tasks} without cursor or search: the first page {@link TaskController} caches. */
@Component
class FirstPageRoute implements CachedReadRoute {

    private static final String PREFIX = "/api/v1/lists/";
    private static final String SUFFIX = "/tasks";
    private static final Set<String> PARAMETERS = Set.of("status", "limit");

    @Override
    public String template() {
        return PREFIX + "{listId}" + SUFFIX;
    }

    @Override
    public Optional<CachedRead> match(String path, Map<String, String> query) {
        if (!path.startsWith(PREFIX) || !path.endsWith(SUFFIX) || !PARAMETERS.containsAll(query.keySet())) {
            return Optional.empty();
        }
        String listId = path.substring(PREFIX.length(), path.length() - SUFFIX.length());
        if (!Lists.isId(listId)) {
            return Optional.empty();
        }
        try {
            return Optional.of(TaskController.firstPage(listId, TaskController.status(query.get("status")),
                    PageLimit.parse(query.get("limit"))));
        } catch (ApiException refused) {
            return Optional.empty();
        }
    }
}
