package io.taskmesh.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.taskmesh.support.ApiClient;
import io.taskmesh.support.EventStream;
import io.taskmesh.support.TestUsers.User;
import io.taskmesh.support.TwoNodes;

/** With Redis configured, events travel through one Redis stream to clients on every node. */
@ExtendWith(TwoNodes.class)
class CrossNodeEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void aChangeMadeOnOneNodeReachesAClientOnAnother(TwoNodes.Cluster cluster) {
        User owner = cluster.users().signUp();
        User editor = cluster.users().signUp();
        String listId = owner.createList("Shared across nodes");
        owner.share(listId, editor, "editor");
        try (EventStream onNode2 = editor.client().sameCallerAt(cluster.port(2)).events(null)) {
            String taskId = owner.createTask(listId, "made on node 1");
            EventStream.Event created = onNode2.next(WAIT, "task.created");
            assertThat(created.id()).matches("\\d+-\\d+");
            assertThat(created.json().get("id").asString()).isEqualTo(taskId);
            assertThat(created.json().get("title").asString()).isEqualTo("made on node 1");
        }
    }

    @Test
    void aClientResumesOnAnotherNodeFromItsLastEventId(TwoNodes.Cluster cluster) {
        User owner = cluster.users().signUp();
        String listId = owner.createList("Resume across nodes");
        String lastSeen;
        try (EventStream onNode2 = owner.client().sameCallerAt(cluster.port(2)).events(null)) {
            owner.createTask(listId, "one");
            lastSeen = onNode2.next(WAIT, "task.created").id();
        }
        owner.createTask(listId, "two");
        owner.createTask(listId, "three");
        ApiClient onNode1 = owner.client();
        try (EventStream resumed = onNode1.events(lastSeen)) {
            assertThat(resumed.next(WAIT, "task.created").json().get("title").asString()).isEqualTo("two");
            assertThat(resumed.next(WAIT, "task.created").json().get("title").asString()).isEqualTo("three");
        }
    }

    @Test
    void aClientResumingFromAnIdNotInTheStreamIsToldToResync(TwoNodes.Cluster cluster) {
        User owner = cluster.users().signUp();
        try (EventStream old = owner.client().events("1-0");
                EventStream malformed = owner.client().sameCallerAt(cluster.port(2)).events("not-an-id")) {
            assertThat(old.next(WAIT, "resync")).isNotNull();
            assertThat(malformed.next(WAIT, "resync")).isNotNull();
        }
    }
}
