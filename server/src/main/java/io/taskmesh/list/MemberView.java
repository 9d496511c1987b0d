package io.taskmesh.list;

/** A member of a list as the API shows it. */
public record MemberView(String userId, String email, String displayName, String role) {
}
