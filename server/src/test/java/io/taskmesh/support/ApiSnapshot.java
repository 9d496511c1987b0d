package io.taskmesh.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * Everything a user can see through the API (lists with their counts and versions, each list's members and every page of its
 * tasks, the all-tasks view, the user's tokens), read with GETs, so that tests can check that a
 * rejected request changed nothing.
 */
public final class ApiSnapshot {

    private ApiSnapshot() {
    }

    public static Map<String, Object> of(ApiClient client) {
        Map<String, Object> snapshot = new LinkedHashMap<>();
        JsonNode lists = ok(client.get("/api/v1/lists")).json();
        snapshot.put("lists", lists);
        for (JsonNode list : lists) {
            String id = list.get("id").asString();
            snapshot.put("members " + id, ok(client.get("/api/v1/lists/" + id + "/members")).json());
            snapshot.put("tasks " + id, allPages(client, "/api/v1/lists/" + id + "/tasks?limit=200"));
        }
        snapshot.put("view all", allPages(client, "/api/v1/tasks?view=all&limit=200"));
        snapshot.put("tokens", ok(client.get("/api/v1/me/tokens")).json());
        return snapshot;
    }

    /** Every item of a paged task collection, following {@code nextCursor}. */
    public static List<JsonNode> allPages(ApiClient client, String path) {
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 10_000; page++) {
            ApiResponse response = ok(client.get(cursor == null ? path : path + "&cursor=" + cursor));
            response.json().get("items").forEach(items::add);
            JsonNode next = response.json().get("nextCursor");
            if (next == null || next.isNull()) {
                return items;
            }
            cursor = next.asString();
        }
        throw new AssertionError("paging " + path + " does not end");
    }

    private static ApiResponse ok(ApiResponse response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response;
    }
}
