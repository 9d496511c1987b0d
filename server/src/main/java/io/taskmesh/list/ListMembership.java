package io.taskmesh.list;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A list's id and its members: all that an access check and an event's audience need. Write paths
 * get it from the read cache ({@link Lists#access}) rather than reading the whole list.
 */
public interface ListMembership {

    String id();

    List<ListDocument.Member> members();

    default Optional<Role> roleOf(String userId) {
        return members().stream().filter(m -> m.userId().equals(userId)).map(ListDocument.Member::role).findFirst();
    }

    /** The ids of everyone who is a member of at least one of the lists. */
    static Set<String> memberIds(ListMembership... lists) {
        Set<String> ids = new LinkedHashSet<>();
        for (ListMembership list : lists) {
            list.members().forEach(m -> ids.add(m.userId()));
        }
        return ids;
    }

    /** The membership of a list known only by its members (as cached). */
    static ListMembership of(String id, List<ListDocument.Member> members) {
        return new Members(id, List.copyOf(members));
    }

    /** The plain form of {@link #of}. */
    record Members(String id, List<ListDocument.Member> members) implements ListMembership {
    }
}
