package io.taskmesh.list;

/** A member's role in a list: viewers read, editors also change tasks, the owner also manages the list. */
public enum Role {
    OWNER, EDITOR, VIEWER;

    public boolean canEditTasks() {
        return this != VIEWER;
    }

    public String apiName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
