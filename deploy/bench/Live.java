import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scenario L: latency from a write on one node to its Server-Sent Event on another. Opens the
 * event stream on READ_URL, then PATCHes the task's title on WRITE_URL at RATE per second for
 * SECONDS; each title is unique, so the event is matched to its write.
 *
 * Usage: java Live.java WRITE_URL READ_URL TOKEN LIST_ID TASK_ID SECONDS RATE
 * Prints the same BENCH line as scenario.lua (microseconds); errors = failed writes + events
 * that did not arrive within 5 s.
 */
public class Live {

    private static final Pattern TITLE = Pattern.compile("\"title\":\"live (\\d+)\"");

    public static void main(String[] args) throws Exception {
        String writeUrl = args[0];
        String readUrl = args[1];
        String auth = "Bearer " + args[2];
        String path = "/api/v1/lists/" + args[3] + "/tasks/" + args[4];
        long seconds = Long.parseLong(args[5]);
        int rate = Integer.parseInt(args[6]);

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Map<Integer, Long> sentAt = new ConcurrentHashMap<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch open = new CountDownLatch(1);
        HttpResponse<java.io.InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(readUrl + "/api/v1/events"))
                .header("Authorization", auth).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (stream.statusCode() != 200) {
            throw new IllegalStateException("GET /api/v1/events answered " + stream.statusCode());
        }
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                open.countDown();
                String line;
                while ((line = lines.readLine()) != null) {
                    long now = System.nanoTime();
                    Matcher m = TITLE.matcher(line);
                    if (line.startsWith("data:") && m.find()) {
                        Long start = sentAt.remove(Integer.parseInt(m.group(1)));
                        if (start != null) {
                            latencies.add((now - start) / 1_000);
                        }
                    }
                }
            } catch (Exception e) {
                // The stream ends when the program closes it.
            }
        }, "sse-reader");
        reader.setDaemon(true);
        reader.start();
        open.await();

        AtomicInteger failedWrites = new AtomicInteger();
        long intervalNanos = 1_000_000_000L / rate;
        long begin = System.nanoTime();
        long end = begin + seconds * 1_000_000_000L;
        int sequence = 0;
        // Paced writes at a fixed rate (an open loop): each waits for its own slot, not for the event;
        // slow writes use up slots rather than stretching the run.
        for (long slot = begin; System.nanoTime() < end; slot = Math.max(slot + intervalNanos, System.nanoTime())) {
            long wait = slot - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            int n = ++sequence;
            sentAt.put(n, System.nanoTime());
            HttpRequest patch = HttpRequest.newBuilder(URI.create(writeUrl + path))
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"title\":\"live " + n + "\"}"))
                    .header("Authorization", auth).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(5)).build();
            try {
                int status = http.send(patch, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status != 200) {
                    failedWrites.incrementAndGet();
                    sentAt.remove(n);
                }
            } catch (Exception e) {
                failedWrites.incrementAndGet();
                sentAt.remove(n);
            }
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!sentAt.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        long duration = (System.nanoTime() - begin) / 1_000;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        int errors = failedWrites.get() + sentAt.size();
        System.out.printf("BENCH requests=%d duration_us=%d bytes=0 errors=%d status_errors=%d p50=%d p90=%d p99=%d max=%d%n",
                sorted.size(), duration, errors, failedWrites.get(), pct(sorted, 50), pct(sorted, 90), pct(sorted, 99),
                sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1));
        System.exit(0);
    }

    private static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
