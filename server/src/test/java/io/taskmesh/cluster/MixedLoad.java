package io.taskmesh.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;

import io.taskmesh.support.ApiClient;
import io.taskmesh.support.ApiResponse;

/**
 * A bounded mixed load on one list through NGINX — reads, creates with an {@code Idempotency-Key},
 * toggles — from several client threads that retry only what is safe to retry:
 * <ul>
 * <li>GET changes nothing, so repeating it is always safe;</li>
 * <li>a toggle is {@code PATCH {"completed": x}}, an absolute value: applying it twice leaves what
 * applying it once does (each thread toggles only tasks it created, so no other writer interleaves);</li>
 * <li>a create repeated with the same {@code Idempotency-Key} gets the stored answer, waits (409 +
 * {@code Retry-After}) while the first attempt still holds the key, or runs once more onto the id
 * derived from the key, finding the task of a first run whose answer was lost;</li>
 * <li>a 503 with {@code Retry-After} (a session while Redis is down) says the request did not
 * take effect or, if it did, is one of the above.</li>
 * </ul>
 * Retries are bounded ({@link #MAX_ATTEMPTS} attempts within {@link #OPERATION_LIMIT} per operation);
 * anything else, or running out of retries, is a failed operation. Afterwards {@link #verify} checks
 * that every acknowledged create is in the list exactly once and every acknowledged toggle holds.
 */
final class MixedLoad implements AutoCloseable {

    static final int MAX_ATTEMPTS = 40;
    static final Duration OPERATION_LIMIT = Duration.ofSeconds(30);
    /** Pause before retrying a request that failed without a Retry-After (a refused connection, a 502 of NGINX's own). */
    static final Duration RETRY_PAUSE = Duration.ofMillis(200);

    /** What one run of the load saw; {@link #line} is the one-line summary printed per fault. */
    record Report(String fault, long millis, long requests, long operations, List<String> failures, long retries,
            long p50Millis, long p99Millis, int creates) {
        String line() {
            return String.format("%s: %.1f s, %d requests (%d operations), %d failed, %d retries, p50 %d ms,"
                    + " p99 %d ms, %d acknowledged creates", fault, millis / 1000.0, requests, operations,
                    failures.size(), retries, p50Millis, p99Millis, creates);
        }
    }

    private final String listId;
    private final List<ApiClient> clients;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    /** Title of every acknowledged create, with the id the server answered. */
    private final Map<String, String> created = new ConcurrentHashMap<>();
    /** The last acknowledged {@code completed} of every toggled task. */
    private final Map<String, Boolean> toggled = new ConcurrentHashMap<>();
    private ExecutorService pool;
    private final List<Future<?>> running = new ArrayList<>();
    private long started;

    /** One thread per client; each client is a distinct caller of the same list (token or session). */
    MixedLoad(String listId, List<ApiClient> clients) {
        this.listId = listId;
        this.clients = List.copyOf(clients);
    }

    MixedLoad start() {
        started = System.nanoTime();
        pool = Executors.newFixedThreadPool(clients.size());
        for (int c = 0; c < clients.size(); c++) {
            int thread = c;
            running.add(pool.submit(() -> run(thread, clients.get(thread))));
        }
        return this;
    }

    /** Operations completed so far (successful or not), for waiting until the load is under way. */
    long operations() {
        return latencies.size();
    }

    Report stop(String fault) throws Exception {
        stop.set(true);
        try {
            for (Future<?> thread : running) {
                thread.get(OPERATION_LIMIT.toSeconds() + 30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return new Report(fault, (System.nanoTime() - started) / 1_000_000, requests.get(), sorted.size(),
                List.copyOf(failures), retries.get(), percentile(sorted, 0.50), percentile(sorted, 0.99),
                created.size());
    }

    /** Stops the client threads at once, e.g. when a test fails before {@link #stop}. */
    @Override
    public void close() {
        stop.set(true);
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * p))) / 1_000_000;
    }

    private void run(int thread, ApiClient client) {
        String tasks = "/api/v1/lists/" + listId + "/tasks";
        List<String> mine = new ArrayList<>();
        for (int i = 0; !stop.get(); i++) {
            long start = System.nanoTime();
            switch (i % 4) {
                case 0 -> {
                    String title = "load " + runId + " t" + thread + " #" + i;
                    Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
                    ApiResponse answer = call("create " + title, () -> client.post(tasks, Map.of("title", title), key),
                            true);
                    if (answer != null && expect(answer, 201, "create " + title)) {
                        created.put(title, answer.get("id"));
                        mine.add(answer.get("id"));
                    }
                }
                case 1 -> read(client, tasks + "?status=all&limit=20");
                case 2 -> {
                    if (!mine.isEmpty()) {
                        String task = mine.get(i % mine.size());
                        boolean completed = !toggled.getOrDefault(task, false);
                        ApiResponse answer = call("toggle " + task,
                                () -> client.patch(tasks + "/" + task, Map.of("completed", completed)), false);
                        if (answer != null && expect(answer, 200, "toggle " + task)) {
                            toggled.put(task, completed);
                        }
                    }
                }
                default -> read(client, mine.isEmpty() ? "/api/v1/me" : tasks + "/" + mine.get(mine.size() - 1));
            }
            latencies.add(System.nanoTime() - start);
        }
    }

    private void read(ApiClient client, String path) {
        ApiResponse answer = call("GET " + path, () -> client.get(path), false);
        if (answer != null) {
            expect(answer, 200, "GET " + path);
        }
    }

    private boolean expect(ApiResponse answer, int status, String what) {
        if (answer.status() == status) {
            return true;
        }
        failures.add(what + " -> " + answer);
        return false;
    }

    /**
     * Sends until the answer is not a retryable failure, within the bounds; null (and a recorded
     * failure) when they run out. {@code keyed}: a POST with an Idempotency-Key, for which a 409
     * with Retry-After means "the first attempt still holds the key".
     */
    private ApiResponse call(String what, java.util.function.Supplier<ApiResponse> send, boolean keyed) {
        long end = System.nanoTime() + OPERATION_LIMIT.toNanos();
        String last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS && System.nanoTime() < end; attempt++) {
            if (attempt > 1) {
                retries.incrementAndGet();
            }
            requests.incrementAndGet();
            Duration pause;
            try {
                ApiResponse answer = send.get();
                int status = answer.status();
                boolean retryable = status == 502 || status == 503 || status == 504
                        || (keyed && status == 409 && answer.header("Retry-After") != null);
                if (!retryable) {
                    return answer;
                }
                last = answer.toString();
                pause = retryAfter(answer);
            } catch (IllegalStateException connectionFailed) {
                // ApiClient's wrapping of an IOException: refused, reset or timed out.
                last = connectionFailed.getMessage();
                pause = RETRY_PAUSE;
            }
            if (stopNow(pause, end)) {
                break;
            }
        }
        failures.add(what + " -> gave up after retries; last: " + last);
        return null;
    }

    private static Duration retryAfter(ApiResponse answer) {
        String header = answer.header("Retry-After");
        if (header == null) {
            return RETRY_PAUSE;
        }
        try {
            return Duration.ofSeconds(Math.min(5, Long.parseLong(header.trim())));
        } catch (NumberFormatException e) {
            return RETRY_PAUSE;
        }
    }

    /** Waits out the pause; true when that would pass the operation's end. */
    private static boolean stopNow(Duration pause, long end) {
        if (System.nanoTime() + pause.toNanos() > end) {
            return true;
        }
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
        return false;
    }

    /** Every acknowledged create is in the list exactly once, with its id; every acknowledged toggle holds. */
    void verify(ApiClient reader) {
        Map<String, List<JsonNode>> byTitle = new HashMap<>();
        String cursor = null;
        do {
            ApiResponse page = reader.get("/api/v1/lists/" + listId + "/tasks?status=all&limit=200"
                    + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            for (JsonNode task : page.json().get("items")) {
                byTitle.computeIfAbsent(task.get("title").asString(), t -> new ArrayList<>()).add(task);
            }
            JsonNode next = page.json().get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.asString();
        } while (cursor != null);

        Set<String> duplicated = new java.util.TreeSet<>();
        byTitle.forEach((title, tasks) -> {
            if (tasks.size() > 1) {
                duplicated.add(title + " x" + tasks.size());
            }
        });
        assertThat(duplicated).as("titles created more than once").isEmpty();
        created.forEach((title, id) -> {
            assertThat(byTitle).as("acknowledged create '%s'", title).containsKey(title);
            JsonNode task = byTitle.get(title).get(0);
            assertThat(task.get("id").asString()).as("id of '%s'", title).isEqualTo(id);
            Boolean completed = toggled.get(id);
            if (completed != null) {
                assertThat(task.get("completed").asBoolean()).as("last acknowledged toggle of '%s'", title)
                        .isEqualTo(completed);
            }
        });
    }
}
