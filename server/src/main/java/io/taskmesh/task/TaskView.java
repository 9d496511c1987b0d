package io.taskmesh.task;

import java.time.Instant;

/** A task as the API shows it. */
record TaskView(String id, String listId, String title, String notes, String due, String priority, boolean completed,
        Instant completedAt, double position, long version, Instant createdAt, Instant updatedAt) {

    static TaskView of(TaskDocument t) {
        return new TaskView(t.id(), t.listId(), t.title(), t.notes(), t.due(), t.priority(), t.completed(),
                t.completedAt(), t.position(), t.version(), t.createdAt(), t.updatedAt());
    }
}
