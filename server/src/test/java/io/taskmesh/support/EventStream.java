package io.taskmesh.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;

/** A client of {@code GET /api/v1/events}: reads Server-Sent Events on a background thread. */
public final class EventStream implements AutoCloseable {

    /** One received event. */
    public record Event(String id, String name, String data) {
        public JsonNode json() {
            return ApiClient.json(data);
        }
    }

    private final InputStream body;
    private final BlockingQueue<Event> received = new LinkedBlockingQueue<>();
    private final List<Event> seen = new ArrayList<>();
    private final Thread reader;

    EventStream(InputStream body) {
        this.body = body;
        this.reader = new Thread(this::read, "sse-test-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            String name = "message";
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        received.add(new Event(id, name, data.toString()));
                    }
                    id = null;
                    name = "message";
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(line.substring(5).stripLeading());
                }
            }
        } catch (IOException e) {
            // the stream was closed
        }
    }

    /** Waits up to {@code limit} for the next event that matches; earlier non-matching events are skipped. */
    public Event next(Duration limit, Predicate<Event> matching) {
        long end = System.nanoTime() + limit.toNanos();
        try {
            while (true) {
                long left = end - System.nanoTime();
                Event event = left > 0 ? received.poll(left, TimeUnit.NANOSECONDS) : null;
                if (event == null) {
                    throw new AssertionError("No matching event within " + limit + "; received: " + seen);
                }
                seen.add(event);
                if (matching.test(event)) {
                    return event;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public Event next(Duration limit, String name) {
        return next(limit, e -> e.name().equals(name));
    }

    /** Every event received within {@code window} (for asserting that something does not arrive). */
    public List<Event> drain(Duration window) {
        List<Event> events = new ArrayList<>();
        long end = System.nanoTime() + window.toNanos();
        try {
            while (System.nanoTime() < end) {
                Event event = received.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (event != null) {
                    events.add(event);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return events;
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
