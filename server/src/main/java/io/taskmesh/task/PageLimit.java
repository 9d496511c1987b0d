package io.taskmesh.task;

import io.taskmesh.web.ApiException;

/** The {@code limit} query parameter: 1 to 200, 50 when absent. */
final class PageLimit {

    static final int DEFAULT = 50;
    static final int MAX = 200;

    private PageLimit() {
    }

    static int parse(String limit) {
        if (limit == null || limit.isEmpty()) {
            return DEFAULT;
        }
        try {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= MAX) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.invalid("limit", "must be a whole number from 1 to " + MAX);
    }

    /** Builds the page from one extra row fetched to tell whether another page follows. */
    static TaskPage page(java.util.List<TaskDocument> rows, int limit) {
        boolean more = rows.size() > limit;
        java.util.List<TaskDocument> items = more ? rows.subList(0, limit) : rows;
        String next = more ? PageCursor.of(items.get(items.size() - 1)).encode() : null;
        return new TaskPage(items.stream().map(TaskView::of).toList(), next);
    }

    static String search(String q) {
        if (q != null && q.length() > 200) {
            throw ApiException.invalid("q", "must be at most 200 characters");
        }
        if (q != null && !io.taskmesh.web.JsonInput.isWellFormed(q)) {
            throw ApiException.invalid("q", "must be valid Unicode text");
        }
        return q;
    }
}
