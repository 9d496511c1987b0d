package io.taskmesh.list;

import java.util.Collection;
import java.util.Map;

/** What the list feature needs to know about the tasks in lists; implemented by the task feature. */
public interface ListContents {

    /** Open and total task counts per list id; lists without tasks may be missing from the map. */
    Map<String, Counts> counts(Collection<String> listIds);

    /** Removes every task of the list. */
    void deleteAll(String listId);

    /** Task counts of one list. */
    record Counts(long open, long total) {
        public static final Counts NONE = new Counts(0, 0);
    }
}
