package io.taskmesh.account;

import java.io.Serializable;

/** The principal of an authenticated request: who is calling, and how. */
public record AuthenticatedUser(String id, boolean viaToken) implements Serializable {
}
