package io.taskmesh.list;

import java.time.Instant;

/** A list as the API shows it, from the caller's point of view ({@code role} is the caller's). */
public record ListView(String id, String name, String role, long openCount, long totalCount, long version,
        Instant createdAt, Instant updatedAt) {

    static ListView of(ListDocument list, String userId, ListContents.Counts counts) {
        return new ListView(list.id(), list.name(), list.roleOf(userId).map(Role::apiName).orElse(null),
                counts.open(), counts.total(), list.version(), list.createdAt(), list.updatedAt());
    }
}
