package io.taskmesh.task;

import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.taskmesh.account.AuthenticatedUser;
import io.taskmesh.cache.CachedJson;
import io.taskmesh.cache.CachedRead;
import io.taskmesh.cache.ReadCache;
import io.taskmesh.list.ListMembership;
import io.taskmesh.list.Lists;
import io.taskmesh.live.Changes;
import io.taskmesh.web.ApiException;
import io.taskmesh.web.JsonInput;
import io.taskmesh.web.NewIds;
import io.taskmesh.web.Versioned;
import tools.jackson.databind.JsonNode;

/** Tasks of one list. */
@RestController
@RequestMapping("/api/v1/lists/{listId}/tasks")
@Tag(name = "Tasks")
class TaskController {

    private static final int MAX_UPDATE_ATTEMPTS = 5;

    private final Lists lists;
    private final Tasks tasks;
    private final Changes changes;
    private final ReadCache cache;

    TaskController(Lists lists, Tasks tasks, Changes changes, ReadCache cache) {
        this.lists = lists;
        this.tasks = tasks;
        this.changes = changes;
        this.cache = cache;
    }

    /** Body of creating a task. */
    record CreateTaskRequest(String title, String notes, String due,
            @Schema(allowableValues = {"none", "low", "medium", "high"}) String priority, Double position) {
    }

    /** Body of changing a task: any subset of the fields; {@code listId} moves the task. */
    record UpdateTaskRequest(String title, String notes, String due,
            @Schema(allowableValues = {"none", "low", "medium", "high"}) String priority, Boolean completed,
            Double position, String listId) {
    }

    /** Body of complete-all. */
    record CompleteAllRequest(boolean completed) {
    }

    /** Status filter of a list's tasks. */
    enum Status {
        ALL, ACTIVE, COMPLETED
    }

    @GetMapping
    @Operation(summary = "A page of the list's tasks in list order")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TaskPage.class)))
    ResponseEntity<?> page(@AuthenticationPrincipal AuthenticatedUser caller, @PathVariable String listId,
            @RequestParam(required = false) String status, @RequestParam(required = false) String q,
            @RequestParam(required = false) String limit, @RequestParam(required = false) String cursor,
            @RequestHeader(name = HttpHeaders.ACCEPT_ENCODING, required = false) @Parameter(hidden = true) String acceptEncoding) {
        Status filter = status(status);
        int size = PageLimit.parse(limit);
        PageCursor after = PageCursor.decode(cursor);
        String text = PageLimit.search(q);
        Boolean completed = switch (filter) {
            case ALL -> null;
            case ACTIVE -> false;
            case COMPLETED -> true;
        };
        if (!Lists.isId(listId)) {
            throw ApiException.notFound("List " + listId);
        }
        if (after == null && (text == null || text.isBlank())) {
            CachedJson json = cache.ofList(firstPage(listId, filter, size), caller.id(),
                    () -> lists.roles(listId),
                    () -> PageLimit.page(tasks.page(listId, completed, null, size + 1, null), size))
                    .orElseThrow(() -> ApiException.notFound("List " + listId));
            return ReadCache.ok(json, acceptEncoding);
        }
        lists.access(listId, caller.id());
        return ResponseEntity.ok(PageLimit.page(tasks.page(listId, completed, text, size + 1, after), size));
    }

    static Status status(String status) {
        return status == null ? Status.ALL : JsonInput.parseEnum(status, Status.class)
                .orElseThrow(() -> ApiException.invalid("status", "must be one of " + JsonInput.allowed(Status.class)));
    }

    /** The first page of each filter is what clients load all the time: cached, by filter and size. */
    static CachedRead firstPage(String listId, Status filter, int size) {
        return CachedRead.ofList("tasks", listId, filter.name().toLowerCase(java.util.Locale.ROOT) + ":" + size);
    }

    @PostMapping
    @Operation(summary = "Add a task (at the end unless position is given)",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    content = @Content(schema = @Schema(implementation = CreateTaskRequest.class))))
    ResponseEntity<TaskView> create(@AuthenticationPrincipal AuthenticatedUser caller, @PathVariable String listId,
            @RequestBody JsonNode body) {
        ListMembership visible = lists.access(listId, caller.id());
        JsonInput input = JsonInput.of(body);
        String title = TaskFields.title(input, true).orElse(null);
        String notes = TaskFields.notes(input).orElse("");
        String due = TaskFields.due(input).orElse(null);
        Priority priority = TaskFields.priority(input).orElse(Priority.NONE);
        Optional<Double> position = input.number("position");
        boolean completed = input.bool("completed").orElse(false);
        input.validate();
        ListMembership list = Lists.editableTasks(visible, caller.id());
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        String id = NewIds.next();
        TaskDocument task;
        try {
            task = tasks.insert(new TaskDocument(id, listId, title, notes, due, TaskDocument.dueSort(due),
                    priority.apiName(), completed, completed ? now : null,
                    position.orElseGet(() -> tasks.nextPosition(listId)), 1, now, now));
        } catch (DuplicateKeyException e) {
            // A retry of a create whose first run finished but could not answer (see NewIds).
            task = tasks.find(listId, id).orElseThrow(() -> ApiException.conflict(
                    "This Idempotency-Key already created a task elsewhere; use a new key"));
        }
        cache.changed(List.of(listId), ListMembership.memberIds(list));
        changes.publish("task.created", list, TaskView.of(task));
        return ResponseEntity.created(URI.create("/api/v1/lists/" + listId + "/tasks/" + task.id()))
                .eTag(Versioned.etag(task.version()))
                .body(TaskView.of(task));
    }

    @GetMapping("/{taskId}")
    @Operation(summary = "One task, with its ETag")
    ResponseEntity<TaskView> one(@AuthenticationPrincipal AuthenticatedUser caller, @PathVariable String listId,
            @PathVariable String taskId,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        lists.access(listId, caller.id());
        TaskDocument task = find(listId, taskId);
        return Versioned.read(TaskView.of(task), task.version(), ifNoneMatch);
    }

    @PatchMapping("/{taskId}")
    @Operation(summary = "Change a task; listId moves it to another list you can edit; honours If-Match",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    content = @Content(schema = @Schema(implementation = UpdateTaskRequest.class))))
    ResponseEntity<TaskView> update(@AuthenticationPrincipal AuthenticatedUser caller, @PathVariable String listId,
            @PathVariable String taskId, @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestBody JsonNode body) {
        ListMembership visible = lists.access(listId, caller.id());
        TaskDocument found = find(listId, taskId);
        JsonInput input = JsonInput.of(body);
        Optional<String> title = TaskFields.title(input, false);
        Optional<String> notes = TaskFields.notes(input);
        Optional<String> due = TaskFields.due(input);
        boolean clearDue = input.isNull("due");
        Optional<Priority> priority = TaskFields.priority(input);
        Optional<Boolean> completed = input.bool("completed");
        Optional<Double> position = input.number("position");
        Optional<String> target = input.string("listId", 100);
        if (input.isNull("listId")) {
            input.addError("listId", "must be the id of a list");
        }
        input.validate();
        ListMembership source = Lists.editableTasks(visible, caller.id());
        Optional<ListMembership> moveTo = target.filter(t -> !t.equals(listId))
                .map(t -> lists.editableTasks(t, caller.id()));

        OptionalLong expected = Versioned.expectedVersion(ifMatch);
        for (int attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
            TaskDocument current = attempt == 0 ? found : find(listId, taskId);
            Versioned.checkIfMatch(ifMatch, current.version());
            Update update = new Update();
            title.ifPresent(t -> update.set("title", t));
            notes.ifPresent(n -> update.set("notes", n));
            if (due.isPresent() || clearDue) {
                update.set("due", due.orElse(null)).set("dueSort", TaskDocument.dueSort(due.orElse(null)));
            }
            priority.ifPresent(p -> update.set("priority", p.apiName()));
            completed.filter(c -> c != current.completed()).ifPresent(c ->
                    update.set("completed", c).set("completedAt", c ? Instant.now() : null));
            position.ifPresent(p -> update.set("position", p));
            moveTo.ifPresent(list -> {
                update.set("listId", list.id());
                if (position.isEmpty()) {
                    update.set("position", tasks.nextPosition(list.id()));
                }
            });
            if (update.getUpdateObject().isEmpty()) {
                return ResponseEntity.ok().eTag(Versioned.etag(current.version())).body(TaskView.of(current));
            }
            Optional<TaskDocument> saved = tasks.update(listId, taskId, current.version(), update);
            if (saved.isPresent()) {
                ListMembership[] touched = moveTo.map(to -> new ListMembership[] {to, source})
                        .orElse(new ListMembership[] {source});
                cache.changed(Arrays.stream(touched).map(ListMembership::id).toList(),
                        ListMembership.memberIds(touched));
                changes.publish("task.updated", TaskView.of(saved.get()), touched);
                return ResponseEntity.ok().eTag(Versioned.etag(saved.get().version())).body(TaskView.of(saved.get()));
            }
            if (expected.isPresent()) {
                throw ApiException.preconditionFailed(find(listId, taskId).version());
            }
        }
        throw ApiException.conflict("The task is being changed by others; try again");
    }

    @DeleteMapping("/{taskId}")
    @Operation(summary = "Delete a task; honours If-Match")
    ResponseEntity<Void> delete(@AuthenticationPrincipal AuthenticatedUser caller, @PathVariable String listId,
            @PathVariable String taskId, @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        ListMembership visible = lists.access(listId, caller.id());
        TaskDocument task = find(listId, taskId);
        ListMembership list = Lists.editableTasks(visible, caller.id());
        Versioned.checkIfMatch(ifMatch, task.version());
        boolean deleted = tasks.delete(listId, taskId,
                Versioned.expectedVersion(ifMatch).isPresent() ? task.version() : null);
        if (!deleted) {
            if (Versioned.expectedVersion(ifMatch).isPresent() && tasks.find(listId, taskId).isPresent()) {
                throw ApiException.preconditionFailed(find(listId, taskId).version());
            }
            throw ApiException.notFound("Task " + taskId);
        }
        cache.changed(List.of(listId), ListMembership.memberIds(list));
        changes.deleted("task.deleted", list, taskId);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/complete-all")
    @Operation(summary = "Mark every task of the list completed (or not)",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    content = @Content(schema = @Schema(implementation = CompleteAllRequest.class))))
    Map<String, Long> completeAll(@AuthenticationPrincipal AuthenticatedUser caller, @PathVariable String listId,
            @RequestBody JsonNode body) {
        ListMembership visible = lists.access(listId, caller.id());
        JsonInput input = JsonInput.of(body);
        if (!input.has("completed")) {
            input.addError("completed", "is required");
        }
        boolean completed = input.bool("completed").orElse(true);
        input.validate();
        ListMembership list = Lists.editableTasks(visible, caller.id());
        List<TaskDocument> changed = tasks.setAllCompleted(listId, completed);
        if (!changed.isEmpty()) {
            cache.changed(List.of(listId), ListMembership.memberIds(list));
        }
        changed.forEach(task -> changes.publish("task.updated", list, TaskView.of(task)));
        return Map.of("updated", (long) changed.size());
    }

    @DeleteMapping
    @Operation(summary = "Clear completed tasks (status=completed is required)")
    Map<String, Long> clearCompleted(@AuthenticationPrincipal AuthenticatedUser caller, @PathVariable String listId,
            @RequestParam(required = false) String status) {
        ListMembership visible = lists.access(listId, caller.id());
        if (!"completed".equals(status)) {
            throw ApiException.invalid("status", "must be 'completed': only completed tasks can be cleared in bulk");
        }
        ListMembership list = Lists.editableTasks(visible, caller.id());
        List<String> deleted = tasks.deleteCompleted(listId);
        if (!deleted.isEmpty()) {
            cache.changed(List.of(listId), ListMembership.memberIds(list));
        }
        deleted.forEach(id -> changes.deleted("task.deleted", list, id));
        return Map.of("deleted", (long) deleted.size());
    }

    private TaskDocument find(String listId, String taskId) {
        if (!Lists.isId(taskId)) {
            throw ApiException.notFound("Task " + taskId);
        }
        return tasks.find(listId, taskId).orElseThrow(() -> ApiException.notFound("Task " + taskId));
    }
}
