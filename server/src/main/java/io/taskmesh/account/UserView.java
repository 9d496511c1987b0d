package io.taskmesh.account;

/** A user as the API shows it. */
public record UserView(String id, String email, String displayName) {

    static UserView of(UserDocument user) {
        return new UserView(user.id(), user.email(), user.displayName());
    }
}
