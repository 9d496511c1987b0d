package io.taskmesh.list;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
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
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.taskmesh.account.AuthenticatedUser;
import io.taskmesh.cache.ReadCache;
import io.taskmesh.live.Changes;
import io.taskmesh.web.JsonInput;
import io.taskmesh.web.Versioned;
import tools.jackson.databind.JsonNode;

/** The caller's lists: create, read, rename, delete. */
@RestController
@RequestMapping("/api/v1/lists")
@Tag(name = "Lists")
class ListController {

    static final int MAX_NAME = 200;

    private final Lists lists;
    private final ListContents contents;
    private final Changes changes;
    private final ReadCache cache;

    ListController(Lists lists, ListContents contents, Changes changes, ReadCache cache) {
        this.lists = lists;
        this.contents = contents;
        this.changes = changes;
        this.cache = cache;
    }

    /** Body of creating or renaming a list. */
    record ListRequest(String name) {
    }

    @GetMapping
    @Operation(summary = "Every list the caller owns or is a member of")
    @ApiResponse(responseCode = "200",
            content = @Content(array = @ArraySchema(schema = @Schema(implementation = ListView.class))))
    ResponseEntity<byte[]> all(@AuthenticationPrincipal AuthenticatedUser caller,
            @RequestHeader(name = HttpHeaders.ACCEPT_ENCODING, required = false) @Parameter(hidden = true) String acceptEncoding) {
        return ReadCache.ok(cache.ofUser(ListsRoute.ALL, caller.id(), () -> {
            List<ListDocument> visible = lists.visibleTo(caller.id());
            Map<String, ListContents.Counts> counts = contents.counts(visible.stream().map(ListDocument::id).toList());
            return visible.stream()
                    .map(l -> ListView.of(l, caller.id(), counts.getOrDefault(l.id(), ListContents.Counts.NONE)))
                    .toList();
        }), acceptEncoding);
    }

    @PostMapping
    @Operation(summary = "Create a list", requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
            content = @Content(schema = @Schema(implementation = ListRequest.class))))
    ResponseEntity<ListView> create(@AuthenticationPrincipal AuthenticatedUser caller, @RequestBody JsonNode body) {
        String name = readName(body);
        ListDocument list = lists.create(name, caller.id());
        // Creates the list's counters, so that the first readers find them and share one load of the members.
        cache.membersChanged(list.id(), List.of(caller.id()));
        ListView view = ListView.of(list, caller.id(), ListContents.Counts.NONE);
        changes.publish("list.created", list, view);
        return ResponseEntity.created(URI.create("/api/v1/lists/" + list.id()))
                .eTag(Versioned.etag(list.version()))
                .body(view);
    }

    @GetMapping("/{listId}")
    @Operation(summary = "One list, with its ETag")
    ResponseEntity<ListView> one(@AuthenticationPrincipal AuthenticatedUser caller, @PathVariable String listId,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        ListDocument list = lists.visible(listId, caller.id());
        return Versioned.read(view(list, caller), list.version(), ifNoneMatch);
    }

    @PatchMapping("/{listId}")
    @Operation(summary = "Rename a list (owner only); honours If-Match",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    content = @Content(schema = @Schema(implementation = ListRequest.class))))
    ResponseEntity<ListView> rename(@AuthenticationPrincipal AuthenticatedUser caller, @PathVariable String listId,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestBody JsonNode body) {
        ListDocument list = lists.owned(listId, caller.id());
        String name = readName(body);
        ListDocument saved = lists.change(list, ifMatch,
                l -> new ListDocument(l.id(), name, l.members(), l.version(), l.createdAt(), l.updatedAt()));
        cache.changed(List.of(listId), ListMembership.memberIds(saved));
        ListView view = view(saved, caller);
        changes.publish("list.updated", saved, view);
        return ResponseEntity.ok().eTag(Versioned.etag(saved.version())).body(view);
    }

    @DeleteMapping("/{listId}")
    @Operation(summary = "Delete a list and its tasks (owner only); honours If-Match")
    ResponseEntity<Void> delete(@AuthenticationPrincipal AuthenticatedUser caller, @PathVariable String listId,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        ListDocument list = lists.owned(listId, caller.id());
        Versioned.checkIfMatch(ifMatch, list.version());
        // The list goes first so that its tasks become unreachable at once.
        lists.delete(list.id());
        contents.deleteAll(list.id());
        cache.membersChanged(list.id(), ListMembership.memberIds(list));
        changes.deleted("list.deleted", list, list.id());
        return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
    }

    private ListView view(ListDocument list, AuthenticatedUser caller) {
        return ListView.of(list, caller.id(),
                contents.counts(List.of(list.id())).getOrDefault(list.id(), ListContents.Counts.NONE));
    }

    private static String readName(JsonNode body) {
        JsonInput input = JsonInput.of(body);
        String name = input.requiredString("name", MAX_NAME).map(String::strip).orElse(null);
        if (name != null && JsonInput.isBlank(name)) {
            input.addError("name", "must not be blank");
        }
        input.validate();
        return name;
    }
}
