package io.taskmesh.list;

import java.time.Instant;
import java.util.List;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/** A to-do list as stored, with its members (the owner is a member too). */
@Document(Lists.COLLECTION)
public record ListDocument(@Id String id, String name, List<Member> members, long version, Instant createdAt,
        Instant updatedAt) implements ListMembership {

    /** One member of a list. */
    public record Member(String userId, Role role) {
    }
}
