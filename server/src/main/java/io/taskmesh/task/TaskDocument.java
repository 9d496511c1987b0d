package io.taskmesh.task;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A task as stored. {@code listId} is the shard key: every query names it. {@code due} is a
 * {@code YYYY-MM-DD} string or null; {@code dueSort} repeats it with "9999-12-31" for "no date"
 * so that undated tasks sort last in the cross-list views.
 */
@Document(Tasks.COLLECTION)
record TaskDocument(@Id String id, String listId, String title, String notes, String due, String dueSort,
        String priority, boolean completed, Instant completedAt, double position, long version,
        Instant createdAt, Instant updatedAt) {

    static final String NO_DUE = "9999-12-31";

    static String dueSort(String due) {
        return due == null ? NO_DUE : due;
    }
}
