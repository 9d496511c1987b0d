package io.taskmesh.support;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Everything a member can read about one list (the list, its members, every task) and the
 * member's index of lists, to show that a refused request changed nothing.
 */
public final class ListSnapshot {

    private ListSnapshot() {
    }

    /** Reads the list as {@code reader} sees it; every read must succeed. */
    public static JsonNode of(ApiClient reader, String listId) {
        ObjectNode snapshot = ApiClient.JSON.createObjectNode();
        snapshot.set("list", read(reader, "/api/v1/lists/" + listId));
        snapshot.set("members", read(reader, "/api/v1/lists/" + listId + "/members"));
        snapshot.set("tasks", read(reader, "/api/v1/lists/" + listId + "/tasks?status=all&limit=200"));
        snapshot.set("lists", read(reader, "/api/v1/lists"));
        snapshot.set("view", read(reader, "/api/v1/tasks?view=all&limit=200"));
        return snapshot;
    }

    private static JsonNode read(ApiClient reader, String path) {
        ApiResponse response = reader.get(path);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }
}
