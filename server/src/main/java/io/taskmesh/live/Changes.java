package io.taskmesh.live;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.taskmesh.list.ListMembership;
import tools.jackson.databind.json.JsonMapper;

/** Where features report their changes; each becomes one event for the list's members. */
@Component
public class Changes {

    private final EventBus bus;
    private final JsonMapper json;

    Changes(EventBus bus, JsonMapper json) {
        this.bus = bus;
        this.json = json;
    }

    /**
     * Reports a change to {@code list} or one of its tasks. {@code audience} is the list as it
     * was when it changed (for removals, before the member left), so everyone concerned hears of it.
     */
    public void publish(String type, ListMembership audience, Object resource) {
        publish(type, resource, audience);
    }

    /** Reports a change seen by the members of several lists (a task moved between lists). */
    public void publish(String type, Object resource, ListMembership... audiences) {
        Map<String, String> members = new LinkedHashMap<>();
        for (ListMembership list : audiences) {
            list.members().forEach(m -> members.putIfAbsent(m.userId(), m.role().apiName()));
        }
        bus.publish(new LiveEvent(null, type, audiences[0].id(), members, json.writeValueAsString(resource)));
    }

    /** Reports the deletion of a list or task: the event data is {@code {id, listId}}. */
    public void deleted(String type, ListMembership audience, String id) {
        publish(type, audience, Map.of("id", id, "listId", audience.id()));
    }
}
