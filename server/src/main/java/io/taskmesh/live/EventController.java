package io.taskmesh.live;

import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.taskmesh.account.AuthenticatedUser;
import jakarta.servlet.http.HttpServletResponse;

/** {@code GET /events}: a Server-Sent Events stream of changes to every list the caller can see. */
@RestController
@RequestMapping("/api/v1/events")
@Tag(name = "Live events")
class EventController {

    private final LiveStreams streams;

    EventController(LiveStreams streams) {
        this.streams = streams;
    }

    @GetMapping(produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Changes to the caller's lists as Server-Sent Events; resumes after Last-Event-ID or sends 'resync'")
    SseEmitter events(@AuthenticationPrincipal AuthenticatedUser caller,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
            HttpServletResponse response) {
        // Tell NGINX not to buffer the stream.
        response.setHeader("X-Accel-Buffering", "no");
        response.setHeader("Cache-Control", "no-store");
        return streams.open(caller.id(), lastEventId == null || lastEventId.isBlank() ? null : lastEventId.trim());
    }
}
