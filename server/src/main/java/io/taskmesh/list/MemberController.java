package io.taskmesh.list;

import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.taskmesh.account.AuthenticatedUser;
import io.taskmesh.account.UserView;
import io.taskmesh.account.Users;
import io.taskmesh.cache.ReadCache;
import io.taskmesh.live.Changes;
import io.taskmesh.web.ApiException;
import io.taskmesh.web.JsonInput;
import tools.jackson.databind.JsonNode;

/** Sharing: who is in a list, adding people by e-mail, removing them or leaving. */
@RestController
@RequestMapping("/api/v1/lists/{listId}/members")
@Tag(name = "Lists")
class MemberController {

    private final Lists lists;
    private final Users users;
    private final Changes changes;
    private final ReadCache cache;

    MemberController(Lists lists, Users users, Changes changes, ReadCache cache) {
        this.lists = lists;
        this.users = users;
        this.changes = changes;
        this.cache = cache;
    }

    /** A member as carried by member events: which list, and who. */
    record MemberChange(String listId, String userId, String email, String displayName, String role) {

        static MemberChange of(String listId, MemberView member) {
            return new MemberChange(listId, member.userId(), member.email(), member.displayName(), member.role());
        }
    }

    /** Body of sharing a list. */
    record AddMemberRequest(String email, @Schema(allowableValues = {"editor", "viewer"}) String role) {
    }

    /** The role a list can be shared with. */
    enum SharedRole {
        EDITOR, VIEWER;

        Role role() {
            return Role.valueOf(name());
        }
    }

    @GetMapping
    @Operation(summary = "The members of a list")
    List<MemberView> all(@AuthenticationPrincipal AuthenticatedUser caller, @PathVariable String listId) {
        ListDocument list = lists.visible(listId, caller.id());
        Map<String, UserView> byId = users.findAll(list.members().stream().map(ListDocument.Member::userId).toList())
                .stream().collect(Collectors.toMap(UserView::id, Function.identity()));
        return list.members().stream()
                .filter(m -> byId.containsKey(m.userId()))
                .sorted(Comparator.comparing(ListDocument.Member::role))
                .map(m -> view(byId.get(m.userId()), m.role()))
                .toList();
    }

    @PostMapping
    @Operation(summary = "Share the list with a user by e-mail (owner only); 200 when changing an existing member's role",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    content = @Content(schema = @Schema(implementation = AddMemberRequest.class))))
    ResponseEntity<MemberView> add(@AuthenticationPrincipal AuthenticatedUser caller, @PathVariable String listId,
            @RequestBody JsonNode body) {
        ListDocument list = lists.owned(listId, caller.id());
        JsonInput input = JsonInput.of(body);
        String email = input.requiredString("email", 254).orElse(null);
        if (!input.has("role")) {
            input.addError("role", "is required");
        }
        Role role = input.enumValue("role", SharedRole.class).map(SharedRole::role).orElse(null);
        input.validate();
        UserView user = users.findByEmail(email)
                .orElseThrow(() -> ApiException.invalid("email", "no account has this e-mail address"));
        if (user.id().equals(caller.id())) {
            throw ApiException.conflict("You own this list; the owner's role cannot change");
        }
        boolean existing = list.roleOf(user.id()).isPresent();
        ListDocument saved = lists.change(list, null, l -> new ListDocument(l.id(), l.name(),
                Lists.with(l.members(), user.id(), role), l.version(), l.createdAt(), l.updatedAt()));
        cache.membersChanged(listId, ListMembership.memberIds(list, saved));
        MemberView member = view(user, role);
        changes.publish("member.added", saved, MemberChange.of(listId, member));
        if (existing) {
            return ResponseEntity.ok(member);
        }
        return ResponseEntity.created(URI.create("/api/v1/lists/" + listId + "/members/" + user.id())).body(member);
    }

    @DeleteMapping("/{userId}")
    @Operation(summary = "Remove a member (owner), or leave the list (the member itself)")
    ResponseEntity<Void> remove(@AuthenticationPrincipal AuthenticatedUser caller, @PathVariable String listId,
            @PathVariable String userId) {
        ListDocument list = lists.visible(listId, caller.id());
        Role callerRole = list.roleOf(caller.id()).orElseThrow();
        boolean leaving = userId.equals(caller.id());
        if (leaving && callerRole == Role.OWNER) {
            throw ApiException.conflict("The owner cannot leave the list; delete it instead");
        }
        if (!leaving && callerRole != Role.OWNER) {
            throw ApiException.forbidden("Only the owner of the list can remove other members");
        }
        if (list.roleOf(userId).isEmpty()) {
            throw ApiException.notFound("Member " + userId);
        }
        ListDocument before = lists.change(list, null, l -> new ListDocument(l.id(), l.name(),
                Lists.with(l.members(), userId, null), l.version(), l.createdAt(), l.updatedAt()));
        cache.membersChanged(listId, ListMembership.memberIds(list, before));
        // The member who left hears of it too: the audience is the list before the change.
        changes.publish("member.removed", Map.of("listId", listId, "userId", userId), list, before);
        return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
    }

    private static MemberView view(UserView user, Role role) {
        return new MemberView(user.id(), user.email(), user.displayName(), role.apiName());
    }
}
