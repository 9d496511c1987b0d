package io.taskmesh.live;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The open streams of this node by user. Adding and removing are both one atomic step on the
 * user's entry: with a separate {@code computeIfAbsent(..).add(..)}, a stream added while the
 * user's last other stream was being removed could land in a set that the removal had just taken
 * out of the map, and that stream would never get another event (a list shared with the user
 * stayed unseen until a reload).
 */
final class UserStreams<S> {

    private final Map<String, Set<S>> byUser = new ConcurrentHashMap<>();

    void add(String userId, S stream) {
        byUser.compute(userId, (u, streams) -> {
            Set<S> set = streams != null ? streams : ConcurrentHashMap.newKeySet();
            set.add(stream);
            return set;
        });
    }

    void remove(String userId, S stream) {
        byUser.computeIfPresent(userId, (u, streams) -> {
            streams.remove(stream);
            return streams.isEmpty() ? null : streams;
        });
    }

    /** The user's streams; may be iterated while streams are added and removed. */
    Set<S> of(String userId) {
        Set<S> streams = byUser.get(userId);
        return streams != null ? streams : Set.of();
    }

    void forEach(BiConsumer<String, S> action) {
        byUser.forEach((userId, streams) -> streams.forEach(stream -> action.accept(userId, stream)));
    }

    int size() {
        return byUser.values().stream().mapToInt(Set::size).sum();
    }

    void clear() {
        byUser.clear();
    }
}
