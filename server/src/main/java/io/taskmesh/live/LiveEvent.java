package io.taskmesh.live;

import java.util.Map;

/**
 * One change, as it travels between nodes: its stream id, its name, the list it belongs to, who
 * may see it (user id to role, taken when it happened) and the changed resource as JSON.
 */
public record LiveEvent(String id, String type, String listId, Map<String, String> audience, String data) {

    /** The name of the event that tells every client on this node to refetch (events may have been lost). */
    public static final String RESYNC = "resync";

    /** A node-local signal, never published: every open stream on the node gets {@code resync}. */
    public static LiveEvent resync() {
        return new LiveEvent(null, RESYNC, null, Map.of(), "{}");
    }

    public LiveEvent withId(String newId) {
        return new LiveEvent(newId, type, listId, audience, data);
    }
}
