package io.taskmesh.home;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the web UI's entry page. The web module builds the UI into {@code static/} of the server
 * jar; without it, the root says how to get it.
 */
@RestController
class UiController {

    private static final String NOT_BUILT = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Taskmesh</title></head>
            <body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
            <h1>Taskmesh</h1>
            <p>The API is running, but the web UI is not built into this server.</p>
            <p>See the <a href="/api/docs">API documentation</a>.</p>
            </body></html>
            """;

    private final Resource index = new ClassPathResource("static/index.html");

    @GetMapping("/")
    ResponseEntity<?> root() {
        if (index.exists()) {
            return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).header("Cache-Control", "no-cache").body(index);
        }
        return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).body(NOT_BUILT);
    }
}
