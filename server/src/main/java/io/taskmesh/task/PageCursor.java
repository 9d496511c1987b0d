package io.taskmesh.task;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.taskmesh.web.ApiException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * An opaque keyset cursor: the sort key of the last task of a page (due-sort, position and id).
 * Reading after it returns each task once even while others are added.
 */
record PageCursor(String dueSort, double position, String id) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    String encode() {
        ArrayNode array = JSON.createArrayNode().add(dueSort).add(position).add(id);
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(JSON.writeValueAsString(array).getBytes(StandardCharsets.UTF_8));
    }

    static PageCursor of(TaskDocument task) {
        return new PageCursor(task.dueSort(), task.position(), task.id());
    }

    static PageCursor decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            if (cursor.length() > 200) {
                throw new IllegalArgumentException("too long");
            }
            JsonNode array = JSON.readTree(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
            if (array.isArray() && array.size() == 3 && array.get(0).isString() && array.get(1).isNumber()
                    && array.get(2).isString()) {
                return new PageCursor(array.get(0).asString(), array.get(1).doubleValue(), array.get(2).asString());
            }
        } catch (IllegalArgumentException | JacksonException e) {
            // fall through to the problem below
        }
        throw ApiException.invalid("cursor", "is not a cursor returned by this API");
    }
}
