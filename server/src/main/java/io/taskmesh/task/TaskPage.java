package io.taskmesh.task;

import java.util.List;

/** One page of tasks and the cursor of the next page ({@code null} on the last page). */
record TaskPage(List<TaskView> items, String nextCursor) {
}
