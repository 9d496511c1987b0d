package io.taskmesh.task;

/** How important a task is. */
enum Priority {
    NONE, LOW, MEDIUM, HIGH;

    String apiName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
