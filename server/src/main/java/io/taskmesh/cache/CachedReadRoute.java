package io.taskmesh.cache;

import java.util.Map;
import java.util.Optional;

/**
 * The cached read a plain GET of one path asks for, worked out the way its controller works it out,
 * so that the fast path ({@code io.taskmesh.web.CachedReadFilter}) can answer it without the
 * controller. Empty for anything else, including any parameter the controller would refuse: those
 * take the normal path.
 */
public interface CachedReadRoute {

    /** The path as the controller maps it, e.g. {@code /api/v1/lists/{listId}/tasks} (the metrics' uri tag). */
    String template();

    /** {@code path} is the request's path as sent; {@code query} holds each parameter once, as sent. */
    Optional<CachedRead> match(String path, Map<String, String> query);
}
