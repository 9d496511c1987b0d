package io.taskmesh.list;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/** A to-do list as stored, with its members (the owner is a member too). */
@Document(Lists.COLLECTION)
public record ListDocument(@Id String id, String name, List<Member> members, long version, Instant createdAt,
        Instant updatedAt) {

    /** One member of a list. */
    public record Member(String userId, Role role) {
    }

    /** The ids of everyone who is a member of at least one of the lists. */
    public static Set<String> memberIds(ListDocument... lists) {
        Set<String> ids = new LinkedHashSet<>();
        for (ListDocument list : lists) {
            list.members().forEach(m -> ids.add(m.userId()));
        }
        return ids;
    }

    public Optional<Role> roleOf(String userId) {
        return members.stream().filter(m -> m.userId().equals(userId)).map(Member::role).findFirst();
    }
}
