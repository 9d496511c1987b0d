package io.taskmesh.task;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
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
import io.taskmesh.cache.CachedRead;
import io.taskmesh.cache.ReadCache;
import io.taskmesh.list.Lists;
import io.taskmesh.web.ApiException;
import io.taskmesh.web.JsonInput;

/** Open tasks across every list the caller can see: today, this week, overdue, all. */
@RestController
@RequestMapping("/api/v1/tasks")
@Tag(name = "Tasks")
class ViewController {

    private final Lists lists;
    private final Tasks tasks;
    private final ReadCache cache;

    ViewController(Lists lists, Tasks tasks, ReadCache cache) {
        this.lists = lists;
        this.tasks = tasks;
        this.cache = cache;
    }

    /** The cross-list views. */
    enum View {
        TODAY, WEEK, OVERDUE, ALL
    }

    @GetMapping
    @Operation(summary = "Open tasks across lists, by due date then list order")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TaskPage.class)))
    ResponseEntity<?> view(@AuthenticationPrincipal AuthenticatedUser caller,
            @RequestParam(required = false) @Parameter(description = "today, week, overdue or all (default)") String view,
            @RequestParam(required = false) String q, @RequestParam(required = false) String limit,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) @Parameter(description = "IANA time zone that decides what 'today' is; UTC by default") String tz,
            @RequestHeader(name = HttpHeaders.ACCEPT_ENCODING, required = false) @Parameter(hidden = true) String acceptEncoding) {
        View selected = view(view);
        int size = PageLimit.parse(limit);
        PageCursor after = PageCursor.decode(cursor);
        String text = PageLimit.search(q);
        LocalDate today = LocalDate.now(zone(tz));
        String from = null;
        String to = null;
        switch (selected) {
            case TODAY -> to = today.toString();
            case WEEK -> {
                from = today.toString();
                to = today.plusDays(6).toString();
            }
            case OVERDUE -> to = today.minusDays(1).toString();
            case ALL -> {
                // every open task, undated ones last
            }
        }
        String dueFrom = from;
        String dueTo = to;
        if (after == null && (text == null || text.isBlank())) {
            return ReadCache.ok(cache.ofUser(firstPage(selected, today, size), caller.id(),
                    () -> load(caller, dueFrom, dueTo, null, size, null)), acceptEncoding);
        }
        return ResponseEntity.ok(load(caller, dueFrom, dueTo, text, size, after));
    }

    static View view(String view) {
        return view == null ? View.ALL : JsonInput.parseEnum(view, View.class)
                .orElseThrow(() -> ApiException.invalid("view", "must be one of " + JsonInput.allowed(View.class)));
    }

    /** The first page of a view, cached; the caller's "today" is part of the key, so yesterday's is never served. */
    static CachedRead firstPage(View view, LocalDate today, int size) {
        return CachedRead.ofUser("view", view.name().toLowerCase(java.util.Locale.ROOT) + ":" + today + ":" + size);
    }

    private TaskPage load(AuthenticatedUser caller, String from, String to, String text, int size, PageCursor after) {
        List<String> visible = lists.visibleIds(caller.id());
        if (visible.isEmpty()) {
            return new TaskPage(List.of(), null);
        }
        return PageLimit.page(tasks.view(visible, from, to, text, size + 1, after), size);
    }

    static ZoneId zone(String tz) {
        if (tz == null || tz.isEmpty()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(tz);
        } catch (DateTimeException e) {
            throw ApiException.invalid("tz", "must be an IANA time zone such as Europe/Paris");
        }
    }
}
