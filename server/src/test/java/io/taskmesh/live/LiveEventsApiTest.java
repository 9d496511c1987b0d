package io.taskmesh.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.taskmesh.support.ApiClient;
import io.taskmesh.support.ApiTest;
import io.taskmesh.support.EventStream;
import io.taskmesh.support.EventStream.Event;
import io.taskmesh.support.TestUsers;
import io.taskmesh.support.TestUsers.User;

/** The live event stream of a single node (embedded mode, in-process bus). */
@ApiTest
class LiveEventsApiTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @LocalServerPort
    int port;

    @Autowired
    EventBus bus;

    TestUsers users;

    @BeforeEach
    void setUp() {
        users = new TestUsers(port);
    }

    @Test
    void eventsRequireAuthentication() {
        assertThat(ApiClient.at(port).get("/api/v1/events").status()).isEqualTo(401);
    }

    @Test
    void membersReceiveEveryChangeOfASharedListAndStrangersNothing() {
        User owner = users.signUp();
        User editor = users.signUp();
        User stranger = users.signUp();
        String listId = owner.createList("Shared");
        owner.share(listId, editor, "editor");

        try (EventStream editorEvents = editor.client().events(null);
                EventStream strangerEvents = stranger.client().events(null)) {
            String taskId = owner.createTask(listId, "Buy milk");
            Event created = editorEvents.next(WAIT, "task.created");
            assertThat(created.id()).matches("\\d+-\\d+");
            assertThat(created.json().get("id").asString()).isEqualTo(taskId);
            assertThat(created.json().get("title").asString()).isEqualTo("Buy milk");

            owner.client().patch("/api/v1/lists/" + listId + "/tasks/" + taskId, Map.of("completed", true));
            Event updated = editorEvents.next(WAIT, "task.updated");
            assertThat(updated.json().get("completed").asBoolean()).isTrue();

            owner.client().patch("/api/v1/lists/" + listId, Map.of("name", "Renamed"));
            Event renamed = editorEvents.next(WAIT, "list.updated");
            assertThat(renamed.json().get("name").asString()).isEqualTo("Renamed");
            assertThat(renamed.json().get("role").asString()).as("the recipient's own role").isEqualTo("editor");

            owner.client().delete("/api/v1/lists/" + listId + "/tasks/" + taskId);
            Event deleted = editorEvents.next(WAIT, "task.deleted");
            assertThat(deleted.json().get("id").asString()).isEqualTo(taskId);
            assertThat(deleted.json().get("listId").asString()).isEqualTo(listId);

            assertThat(strangerEvents.drain(Duration.ofMillis(300))).isEmpty();
        }
    }

    @Test
    void aRemovedMemberHearsOfItsRemovalAndNothingAfter() {
        User owner = users.signUp();
        User viewer = users.signUp();
        String listId = owner.createList("Team");
        owner.share(listId, viewer, "viewer");
        try (EventStream events = viewer.client().events(null)) {
            owner.client().delete("/api/v1/lists/" + listId + "/members/" + viewer.id());
            Event removed = events.next(WAIT, "member.removed");
            assertThat(removed.json().get("userId").asString()).isEqualTo(viewer.id());
            owner.createTask(listId, "private now");
            assertThat(events.drain(Duration.ofMillis(300))).extracting(Event::name).doesNotContain("task.created");
        }
    }

    @Test
    void aClientResumingWithLastEventIdGetsWhatItMissed() {
        User owner = users.signUp();
        String listId = owner.createList("Resume");
        String lastSeen;
        try (EventStream events = owner.client().events(null)) {
            owner.createTask(listId, "one");
            lastSeen = events.next(WAIT, "task.created").id();
        }
        owner.createTask(listId, "two");
        owner.createTask(listId, "three");
        try (EventStream resumed = owner.client().events(lastSeen)) {
            assertThat(resumed.next(WAIT, "task.created").json().get("title").asString()).isEqualTo("two");
            assertThat(resumed.next(WAIT, "task.created").json().get("title").asString()).isEqualTo("three");
        }
    }

    @Test
    void aListEventWhoseDataIsNotAnObjectReachesEveryStreamAsItIsAndHoldsUpNoResume() {
        User owner = users.signUp();
        User editor = users.signUp();
        String listId = owner.createList("Odd data");
        owner.share(listId, editor, "editor");
        Map<String, String> audience = Map.of(owner.id(), "owner", editor.id(), "editor");
        String lastSeen;
        try (EventStream ownerEvents = owner.client().events(null);
                EventStream editorEvents = editor.client().events(null)) {
            owner.createTask(listId, "one");
            lastSeen = ownerEvents.next(WAIT, "task.created").id();
            editorEvents.next(WAIT, "task.created");
            // As another node (or an older build) might put it on the bus: not a JSON object.
            bus.publish(new LiveEvent(null, "list.updated", listId, audience, "[\"not\", \"an object\"]"));
            bus.publish(new LiveEvent(null, "list.updated", listId, audience, "{not json"));
            for (EventStream events : List.of(ownerEvents, editorEvents)) {
                assertThat(events.next(WAIT, "list.updated").data()).isEqualTo("[\"not\", \"an object\"]");
                assertThat(events.next(WAIT, "list.updated").data()).isEqualTo("{not json");
            }
        }
        owner.createTask(listId, "two");
        try (EventStream resumed = owner.client().events(lastSeen)) {
            assertThat(resumed.next(WAIT, "task.created").json().get("title").asString()).isEqualTo("two");
        }
    }

    @Test
    void aClientResumingFromAnUnknownIdIsToldToResync() {
        User owner = users.signUp();
        try (EventStream resumed = owner.client().events("1-0")) {
            assertThat(resumed.next(WAIT, "resync")).isNotNull();
        }
    }

    @Test
    void bearerClientsReceiveEventsToo() {
        User owner = users.signUp();
        ApiClient program = users.bearerClient(owner);
        try (EventStream events = program.events(null)) {
            owner.createList("From the browser");
            assertThat(events.next(WAIT, "list.created").json().get("name").asString()).isEqualTo("From the browser");
        }
    }
}
