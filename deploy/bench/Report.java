import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import javax.imageio.ImageIO;

/**
 * Writes the benchmark report from the harness's raw results: DATE.md, DATE.json and two PNG
 * charts drawn with Java2D (no plotting library on this machine, and none needed).
 *
 * Usage: java -Djava.awt.headless=true Report.java WORK_DIR OUT_DIR DATE
 * WORK_DIR holds meta.env (key=value), results.tsv (one row per run, columns as in {@link Run})
 * and node1-*.hot.txt (JFR hot methods), all written by deploy/bench/bench.sh. OUT_DIR/fixes.md,
 * when present, is appended: the before/after record of the fixes the profiles led to.
 */
public class Report {

    /**
     * One measured run; times in microseconds, counters as before/after pairs (-1: not exposed or not
     * measured; Redis', the store's and the machine's CPU are missing from runs before 2026-12-02 15:00).
     */
    record Run(String name, String scenario, int nodes, String target, int connections, long requests, long durationUs,
            long errors, long p50, long p90, long p99, long max, long nodeCpuUs, long nginxCpuUs, String rss,
            double hits0, double hits1, double misses0, double misses1, double store0, double store1,
            long redisCpuUs, long storeCpuUs, long machineCpuUs) {

        static Run parse(String line) {
            String[] f = line.split("\t", -1);
            return new Run(f[0], f[1], Integer.parseInt(f[2]), f[3], Integer.parseInt(f[4]), Long.parseLong(f[5]),
                    Long.parseLong(f[6]), Long.parseLong(f[7]), Long.parseLong(f[8]), Long.parseLong(f[9]),
                    Long.parseLong(f[10]), Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), f[14],
                    d(f[15]), d(f[16]), d(f[17]), d(f[18]), d(f[19]), d(f[20]), optional(f, 21), optional(f, 22),
                    optional(f, 23));
        }

        private static long optional(String[] f, int i) {
            return f.length > i && !f[i].isBlank() ? Long.parseLong(f[i]) : -1;
        }

        /** CPU time {@code us} spent per request, when measured. */
        Optional<Double> perRequest(long us) {
            return requests == 0 || us < 0 ? Optional.empty() : Optional.of((double) us / requests);
        }

        private static double d(String s) {
            return s.isBlank() ? -1 : Double.parseDouble(s);
        }

        double rps() {
            return durationUs == 0 ? 0 : requests * 1e6 / durationUs;
        }

        Optional<Double> cpuPerRequest() {
            return perRequest(nodeCpuUs);
        }

        Optional<Double> hitRatio() {
            double hits = hits1 - hits0;
            double misses = misses1 - misses0;
            if (hits0 < 0 || hits1 < 0 || hits + misses <= 0) {
                return Optional.empty();
            }
            return Optional.of(hits / (hits + misses));
        }

        Optional<Double> storeOpsPerRequest() {
            if (store0 < 0 || store1 < 0 || requests == 0) {
                return Optional.empty();
            }
            return Optional.of((store1 - store0) / requests);
        }
    }

    public static void main(String[] args) throws IOException {
        Path work = Path.of(args[0]);
        Path out = Path.of(args[1]);
        String date = args[2];
        Map<String, String> meta = new LinkedHashMap<>();
        for (String line : Files.readAllLines(work.resolve("meta.env"))) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                meta.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        List<Run> runs = new ArrayList<>();
        for (String line : Files.readAllLines(work.resolve("results.tsv"))) {
            if (!line.isBlank()) {
                runs.add(Run.parse(line));
            }
        }
        Files.createDirectories(out);
        Report report = new Report(meta, runs, work, out, date);
        Files.writeString(out.resolve(date + ".md"), report.markdown());
        Files.writeString(out.resolve(date + ".json"), report.json());
        report.throughputChart(out.resolve(date + "-throughput.png"));
        report.latencyChart(out.resolve(date + "-latency.png"));
    }

    private final Map<String, String> meta;
    private final List<Run> runs;
    private final Path work;
    private final Path out;
    private final String date;
    private final double ceiling;

    Report(Map<String, String> meta, List<Run> runs, Path work, Path out, String date) {
        this.meta = meta;
        this.runs = runs;
        this.work = work;
        this.out = out;
        this.date = date;
        this.ceiling = find(r -> r.name().equals("ceiling-static")).map(Run::rps).orElse(0.0);
    }

    private Optional<Run> find(Predicate<Run> which) {
        return runs.stream().filter(which).findFirst();
    }

    private Optional<Run> best(String scenario) {
        return runs.stream().filter(r -> r.name().equals(scenario))
                .max((a, b) -> Double.compare(a.rps(), b.rps()));
    }

    private String ratio(Run r) {
        if (ceiling == 0) {
            return "n/a";
        }
        double ratio = r.rps() / ceiling;
        return fmt(ratio < 0.01 ? "%.4f" : "%.2f", ratio);
    }

    // ----- Markdown -----

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmark ").append(date).append("\n\n");
        md.append("Produced by `").append(meta.get("command")).append("` at ").append(meta.get("date"))
                .append(" on commit `").append(meta.get("commit")).append("`.\n\n");
        md.append("| machine | |\n|---|---|\n");
        row(md, "CPU", meta.get("cpu"));
        row(md, "memory", meta.get("memory_mb") + " MB");
        row(md, "load average (1, 5, 15 min) before / after", meta.get("load_before") + " / " + meta.getOrDefault("load_after", "?"));
        row(md, "JDK", meta.get("jdk"));
        row(md, "API node JVM options", "`" + meta.get("node_java_opts") + "`");
        row(md, "embedded store JVM options", "`" + meta.getOrDefault("store_java_opts", "-Xmx256m -XX:+UseSerialGC") + "`");
        row(md, "cache TTL of the nodes", meta.getOrDefault("cache_ttl", "30s (the default)")
                + " (`TASKMESH_CACHE_TTL`; the default is 30s)");
        row(md, "store", meta.get("store") + (meta.get("store").equals("embedded")
                ? " (the embedded store as its own process: in-memory indexes on the leading field of each declared index, ordered by the others; no other query planning)" : ""));
        row(md, "load generator", meta.get("wrk") + ", 2 threads, on the same 2 cores as everything else");
        row(md, "data", meta.get("data"));
        if (meta.containsKey("page_bytes")) {
            String[] bytes = meta.get("page_bytes").split(" ");
            row(md, "requests", "as browsers send them, with `Accept-Encoding: "
                    + meta.getOrDefault("accept_encoding", "gzip, deflate, br, zstd") + "`; an R answer is "
                    + bytes[0] + " bytes of JSON, sent as " + bytes[1] + " bytes of gzip");
        }
        row(md, "each run", meta.get("duration") + " s after a warm-up of a fifth of that; " + meta.get("connections") + " connections unless stated");
        meta.forEach((key, value) -> {
            if (key.startsWith("warm_up_")) {
                row(md, "warm-up of " + key.substring("warm_up_".length()) + " before the runs (until its JIT settles)", value);
            }
        });
        md.append("\nA load average above the core count means other work (builds of other engineers) shared the CPU: "
                + "absolute figures are then low and noisy, ratios to the ceiling measured in the same run less so.\n\n");

        md.append("## Targets\n\n| target | goal | measured | |\n|---|---|---|---|\n");
        targets(md);

        md.append("\n## Scenarios through NGINX\n\n");
        md.append("R = first page of a list, V = today view, M = 80% reads / 15% updates / 5% creates, W = creates, "
                + "L = write on node 1 → its SSE event on node 2 (20 writes/s; latency is write sent → event received). "
                + "CPU is user + system time of all API node processes (and NGINX's, Redis') from `/proc/<pid>/stat`, divided by the "
                + "requests; the machine's is every core's busy time from `/proc/stat` (wrk, the store and any other work "
                + "included): on a machine whose cores are all busy, the throughput is about the cores ÷ the machine's CPU per "
                + "request (L, at 20 writes/s, leaves the cores mostly idle, so it has no such figure). RSS is each node's at the end of the run. Cache and store columns come from "
                + "`/actuator/prometheus` (n/a: the nodes expose no such metric).\n\n");
        md.append("| run | nodes | req/s | × ceiling | p50 ms | p90 ms | p99 ms | max ms | errors | node CPU µs/req | NGINX CPU µs/req | Redis CPU µs/req | machine CPU µs/req | RSS MB | cache hits | store ops/req |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Run r : runs) {
            if (r.name().startsWith("scale-") || r.name().equals("embedded")) {
                continue;
            }
            md.append("| ").append(r.name().equals(r.scenario()) ? r.name() : r.name() + " (" + r.target() + ")")
                    .append(" | ").append(r.nodes())
                    .append(" | ").append(fmt(r.rps() < 10 ? "%.1f" : "%.0f", r.rps()))
                    .append(" | ").append(r.scenario().equals("L") ? "–" : ratio(r))
                    .append(" | ").append(ms(r.p50())).append(" | ").append(ms(r.p90())).append(" | ").append(ms(r.p99()))
                    .append(" | ").append(ms(r.max())).append(" | ").append(r.errors())
                    .append(" | ").append(r.cpuPerRequest().map(v -> fmt("%.0f", v)).orElse("n/a"))
                    .append(" | ").append(r.scenario().equals("L") ? "–" : perRequest(r, r.nginxCpuUs()))
                    .append(" | ").append(perRequest(r, r.redisCpuUs()))
                    .append(" | ").append(r.scenario().equals("L") ? "–" : perRequest(r, r.machineCpuUs()))
                    .append(" | ").append(r.rss().replace("node", "").replace(",", ", "))
                    .append(" | ").append(r.hitRatio().map(v -> fmt("%.0f%%", v * 100)).orElse("n/a"))
                    .append(" | ").append(r.storeOpsPerRequest().map(v -> fmt("%.2f", v)).orElse("n/a"))
                    .append(" |\n");
        }
        md.append("\n`ceiling-static` is NGINX serving the bytes of one R answer (its gzip form) as a file from the same listener "
                + "(the HTTP ceiling of this machine); `ceiling-proxy` is NGINX proxying those bytes from that "
                + "location over an upstream with keep-alive, configured as `/api/` is (the most any backend "
                + "behind this NGINX could reach); `ceiling-direct` is R sent straight to node 1, without NGINX "
                + "(the load balancer's cost is the difference to R with 1 node). wrk keeps a fixed number of "
                + "connections busy (closed loop), so latencies are those at the throughput reached.\n\n");
        md.append("![Throughput](").append(date).append("-throughput.png)\n![Latency](").append(date).append("-latency.png)\n\n");

        md.append("## Data scale\n\n");
        Optional<Run> small = find(r -> r.name().equals("scale-100"));
        Optional<Run> big = find(r -> r.name().startsWith("scale-") && !r.name().equals("scale-100"));
        if (small.isPresent() && big.isPresent()) {
            md.append("First page (R) of a list of 100 tasks and of a list of ").append(big.get().name().substring(6))
                    .append(" tasks, ").append(big.get().connections()).append(" connections, ").append(nodes(big.get().nodes())).append(":\n\n");
            md.append("| list | req/s | p50 ms | p99 ms |\n|---|---|---|---|\n");
            for (Run r : List.of(small.get(), big.get())) {
                md.append("| ").append(r.name().substring(6)).append(" tasks | ").append(fmt("%.0f", r.rps())).append(" | ")
                        .append(ms(r.p50())).append(" | ").append(ms(r.p99())).append(" |\n");
            }
            md.append("\np50 ratio (large / small): ").append(fmt("%.2f", scaleRatio(small.get(), big.get()))).append("\n\n");
            if (big.get().requests() == 0) {
                md.append("No first page of the large list was answered within wrk's timeout.\n\n");
            }
        }
        if (meta.containsKey("big_lists_after_write_ms")) {
            md.append("The large list's owner's lists (`GET /lists`, with every list's counts) right after a change to the large list, "
                    + "so not from the cache: ").append(meta.get("big_lists_after_write_ms")).append(" ms (median of ")
                    .append(String.join(", ", meta.get("big_lists_after_write_all_ms").split(" "))).append(" ms).\n\n");
        }

        find(r -> r.name().equals("embedded")).ifPresent(e -> {
            md.append("## Embedded mode\n\nOne process with the embedded store, started as `./taskmesh run` starts it "
                    + "(extracted jar and the archive of a training start: an AOT cache on JDK 25 and newer, class-data sharing "
                    + "before; the bean definitions Spring AOT generated at build time; C1 only), a user, a list and 50 tasks created through the API, then R. The benchmark cluster is stopped first (unless `--keep-cluster`)"
                    + (meta.containsKey("embedded_cpu_busy_before") ? " and the starts wait for a quiet machine (CPU busy before the first: "
                            + meta.get("embedded_cpu_busy_before") + ")" : "") + ":\n\n");
            md.append("| start to first served request | RSS idle | RSS under load (max) | R req/s | p50 ms | p99 ms | CPU µs/req | errors |\n");
            md.append("|---|---|---|---|---|---|---|---|\n");
            String starts = meta.containsKey("embedded_starts_ms")
                    ? " (median of " + String.join(", ", meta.get("embedded_starts_ms").split(" ")) + ")" : "";
            md.append("| ").append(meta.get("embedded_start_ms")).append(" ms").append(starts).append(" | ").append(meta.get("embedded_rss_idle_mb"))
                    .append(" MB | ").append(meta.get("embedded_rss_load_mb")).append(" MB | ").append(fmt("%.0f", e.rps()))
                    .append(" | ").append(ms(e.p50())).append(" | ").append(ms(e.p99())).append(" | ")
                    .append(e.cpuPerRequest().map(v -> fmt("%.0f", v)).orElse("n/a")).append(" | ").append(e.errors()).append(" |\n\n");
        });

        for (String s : List.of("R", "M", "W")) {
            Path collapsed = work.resolve("node1-" + s + ".collapsed");
            // NGINX spreads the profiling run's requests evenly over the nodes; node 1 took its share.
            long profiled = Long.parseLong(meta.getOrDefault("profile_" + s + "_requests", "0"))
                    / Long.parseLong(meta.getOrDefault("profile_nodes", "1"));
            if (Files.exists(collapsed)) {
                md.append("## Where node 1's CPU went during ").append(s)
                        .append(" (").append(nodes(Integer.parseInt(meta.getOrDefault("profile_nodes", "1"))))
                        .append(" in NGINX's upstream, async-profiler, CPU time sampled every ms")
                        .append(profiled > 0 ? ", in a profiling run right after the measured one: " + profiled + " requests to node 1" : "")
                        .append(")\n\n");
                md.append(cpuBreakdown(collapsed, profiled)).append('\n');
            }
            Path hot = work.resolve("node1-" + s + ".hot.txt");
            if (Files.exists(hot)) {
                try {
                    List<String> lines = Files.readAllLines(hot);
                    md.append("## Profile: node 1 during ").append(s)
                            .append(" (the same profiling run, JDK Flight Recorder, `jfr view hot-methods`)\n\n```\n");
                    lines.stream().limit(30).forEach(l -> md.append(l.stripTrailing()).append('\n'));
                    md.append("```\n\n");
                    Path exceptions = work.resolve("node1-" + s + ".exceptions.txt");
                    if (Files.exists(exceptions) && profiled > 0) {
                        md.append("Exceptions thrown on node 1 during the profiling run (")
                                .append(profiled).append(" requests):\n\n```\n");
                        Files.readAllLines(exceptions).forEach(l -> md.append(l.strip()).append('\n'));
                        md.append("```\n\n");
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        // Hand-kept history of what the profiles led to, repeated in every report.
        Path fixes = out.resolve("fixes.md");
        if (Files.exists(fixes)) {
            try {
                md.append(Files.readString(fixes));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return md.toString();
    }

    private void targets(StringBuilder md) {
        Optional<Run> proxy = find(r -> r.name().equals("ceiling-proxy"));
        best("R").ifPresent(r -> {
            target(md, "R ÷ NGINX-static ceiling (" + nodes(r.nodes()) + ")", "≥ 0.50", ceiling == 0 ? -1 : r.rps() / ceiling, 0.5, true, "%.4f");
            proxy.filter(p -> ceiling > 0 && p.rps() > 0).ifPresent(p -> md.append("| (for scale) NGINX-proxy ceiling ÷ static ceiling;"
                    + " R ÷ proxy ceiling | – | ").append(fmt("%.2f; %.2f", p.rps() / ceiling, r.rps() / p.rps())).append(" | |\n"));
            find(c -> c.name().equals("ceiling-static")).ifPresent(c -> budget(md, c, r));
            target(md, "R p99 at " + r.connections() + " connections", "≤ 20 ms", r.p99() / 1000.0, 20, false, "%.1f ms");
            r.cpuPerRequest().ifPresent(c -> target(md, "node CPU per R request", "≤ 100 µs", c, 100, false, "%.0f µs"));
        });
        best("M").ifPresent(m -> {
            target(md, "M ÷ ceiling (" + nodes(m.nodes()) + ")", "≥ 0.30", ceiling == 0 ? -1 : m.rps() / ceiling, 0.3, true, "%.4f");
            target(md, "M errors", "0", m.errors(), 0, false, "%.0f");
        });
        Optional<Run> small = find(r -> r.name().equals("scale-100"));
        Optional<Run> big = find(r -> r.name().startsWith("scale-") && !r.name().equals("scale-100"));
        if (small.isPresent() && big.isPresent()) {
            target(md, "data scale: p50 large ÷ p50 small", "≤ 1.2", scaleRatio(small.get(), big.get()), 1.2, false, "%.2f");
        }
        runs.stream().filter(r -> r.scenario().equals("L")).max((a, b) -> Long.compare(a.p99(), b.p99()))
                .ifPresent(l -> target(md, "live p99 (worst node count)", "≤ 250 ms", l.p99() / 1000.0, 250, false, "%.1f ms"));
        if (meta.containsKey("embedded_start_ms")) {
            target(md, "embedded start to first request", "≤ 3 s", Double.parseDouble(meta.get("embedded_start_ms")) / 1000, 3, false, "%.2f s");
        }
    }

    /** Who spends a sample: the innermost frame of a known library, read from the leaf up (the JDK's own frames count for their caller). */
    private static final List<Map.Entry<String, String>> LIBRARIES = List.of(
            Map.entry("io/taskmesh/", "Taskmesh code"),
            Map.entry("com/mongodb/", "MongoDB driver and BSON"), Map.entry("org/bson/", "MongoDB driver and BSON"),
            Map.entry("org/springframework/data/redis/", "Redis client (Spring Data Redis, Lettuce, Netty)"),
            Map.entry("io/lettuce/", "Redis client (Spring Data Redis, Lettuce, Netty)"),
            Map.entry("io/netty/", "Redis client (Spring Data Redis, Lettuce, Netty)"),
            Map.entry("org/springframework/data/", "Spring Data mapping"),
            Map.entry("tools/jackson/", "Jackson"), Map.entry("com/fasterxml/jackson/", "Jackson"),
            Map.entry("org/springframework/security/", "Spring Security"),
            Map.entry("org/springframework/session/", "Spring Session"),
            Map.entry("io/micrometer/", "Micrometer (metrics, observations)"),
            Map.entry("com/github/benmanes/caffeine/", "Caffeine (local copies)"),
            Map.entry("org/springframework/", "Spring MVC and other Spring"),
            Map.entry("org/apache/", "Tomcat"),
            Map.entry("ch/qos/logback/", "Logging"), Map.entry("org/slf4j/", "Logging"));

    /**
     * Where the machine's CPU goes per request, the static ceiling against R: with every core busy, the
     * ratio of their throughputs is about the inverse ratio of these sums.
     */
    private static void budget(StringBuilder md, Run ceiling, Run r) {
        Optional<Double> whole = ceiling.perRequest(ceiling.machineCpuUs());
        Optional<Double> read = r.perRequest(r.machineCpuUs());
        if (whole.isEmpty() || read.isEmpty() || r.redisCpuUs() < 0) {
            return;
        }
        double rest = read.get() - r.perRequest(r.nodeCpuUs() + r.nginxCpuUs() + r.redisCpuUs()).orElseThrow();
        md.append("| (for scale) the machine's CPU per request: static ceiling (NGINX ")
                .append(perRequest(ceiling, ceiling.nginxCpuUs())).append(", wrk and the rest ")
                .append(fmt("%.0f", whole.get() - ceiling.perRequest(ceiling.nginxCpuUs()).orElseThrow()))
                .append("); R (node ").append(perRequest(r, r.nodeCpuUs())).append(", NGINX ").append(perRequest(r, r.nginxCpuUs()))
                .append(", Redis ").append(perRequest(r, r.redisCpuUs())).append(", wrk and the rest ").append(fmt("%.0f", rest))
                .append(") | – | ").append(fmt("%.0f µs; %.0f µs (ratio %.2f)", whole.get(), read.get(), whole.get() / read.get()))
                .append(" | |\n");
    }

    private static String perRequest(Run r, long us) {
        return r.perRequest(us).map(v -> fmt("%.0f", v)).orElse("–");
    }

    private static String jsonPerRequest(Run r, long us) {
        return r.perRequest(us).map(v -> fmt("%.1f", v)).orElse("null");
    }

    private static String nodes(int count) {
        return count == 1 ? "1 node" : count + " nodes";
    }

    /**
     * The CPU samples of a collapsed-stack profile by library, with the share spent in the kernel and,
     * when the run's requests are known, the CPU time per request (a sample is 1 ms of CPU).
     */
    static String cpuBreakdown(Path collapsed, long requests) {
        Map<String, long[]> shares = new LinkedHashMap<>();
        long total = 0;
        long fastPath = 0;
        long chain = 0;
        try {
            for (String line : Files.readAllLines(collapsed)) {
                int space = line.lastIndexOf(' ');
                if (space < 0) {
                    continue;
                }
                long samples = Long.parseLong(line.substring(space + 1).trim());
                String stack = line.substring(0, space);
                String[] frames = stack.split(";");
                total += samples;
                int fast = stack.indexOf("io/taskmesh/web/CachedReadFilter.doFilter");
                fastPath += fast >= 0 && stack.indexOf("org/apache/catalina/core/ApplicationFilterChain", fast) < 0 ? samples : 0;
                chain += stack.contains("org/springframework/security/web/FilterChainProxy.doFilter") ? samples : 0;
                long[] share = shares.computeIfAbsent(owner(stack, frames), k -> new long[2]);
                share[0] += samples;
                share[1] += frames[frames.length - 1].endsWith("_[k]") ? samples : 0;
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder md = new StringBuilder();
        md.append(total).append(" samples. Each is counted for the innermost frame of a known library (a JDK method or a "
                + "system call counts for whoever called it); kernel time is the part spent in system calls and interrupts.\n\n");
        md.append("| spent in | share | of which in the kernel | µs per request |\n|---|---|---|---|\n");
        long all = Math.max(total, 1);
        shares.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).forEach(e -> md
                .append("| ").append(e.getKey()).append(" | ").append(fmt("%.1f %%", 100.0 * e.getValue()[0] / all))
                .append(" | ").append(fmt("%.1f %%", 100.0 * e.getValue()[1] / all)).append(" | ")
                .append(requests > 0 ? fmt("%.0f", 1000.0 * e.getValue()[0] / requests) : "n/a").append(" |\n"));
        if (requests > 0) {
            md.append("| all | 100 % | | ").append(fmt("%.0f", 1000.0 * total / requests)).append(" |\n");
        }
        md.append("\nIn the fast path's own work (`CachedReadFilter`, not counting the requests it passes on): ").append(fmt("%.1f %%", 100.0 * fastPath / all))
                .append("; under Spring Security's filter chain (and all it calls): ").append(fmt("%.1f %%", 100.0 * chain / all)).append(".\n");
        return md.toString();
    }

    private static String owner(String stack, String[] frames) {
        if (stack.contains("Jfr") || stack.contains("AllocTracer")) {
            return "JDK Flight Recorder (the profiling itself)";
        }
        for (int i = frames.length - 1; i >= 0; i--) {
            for (Map.Entry<String, String> library : LIBRARIES) {
                if (frames[i].startsWith(library.getKey())) {
                    return library.getValue();
                }
            }
        }
        if (stack.contains("CompileBroker")) {
            return "JIT compiler";
        }
        if (stack.contains("GC") || stack.contains("VMThread") || stack.contains("Collect")) {
            return "Garbage collector and VM operations";
        }
        return "JVM and JDK (other threads)";
    }

    private static double scaleRatio(Run small, Run big) {
        if (small.requests() == 0 || small.p50() == 0) {
            return -1;
        }
        // No answer at all for the large list is the worst outcome, not a ratio of 0.
        return big.requests() == 0 ? Double.POSITIVE_INFINITY : (double) big.p50() / small.p50();
    }

    private static void target(StringBuilder md, String what, String goal, double value, double limit, boolean atLeast,
            String format) {
        String verdict;
        if (value < 0) {
            verdict = "n/a";
        } else if (atLeast ? value >= limit : value <= limit) {
            verdict = "met";
        } else if (limit == 0) {
            verdict = "missed";
        } else {
            double factor = atLeast ? limit / Math.max(value, 1e-9) : value / limit;
            verdict = fmt("missed by ×%.1f", factor);
        }
        md.append("| ").append(what).append(" | ").append(goal).append(" | ")
                .append(value < 0 ? "n/a" : fmt(format, value)).append(" | ").append(verdict).append(" |\n");
    }

    private static void row(StringBuilder md, String key, String value) {
        md.append("| ").append(key).append(" | ").append(value).append(" |\n");
    }

    private static String ms(long micros) {
        return fmt(micros < 10_000 ? "%.2f" : "%.0f", micros / 1000.0);
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    // ----- JSON -----

    String json() {
        StringBuilder j = new StringBuilder("{\n  \"date\": ").append(q(date)).append(",\n  \"meta\": {");
        String sep = "\n";
        for (var e : meta.entrySet()) {
            j.append(sep).append("    ").append(q(e.getKey())).append(": ").append(q(e.getValue()));
            sep = ",\n";
        }
        j.append("\n  },\n  \"ceilingStaticRps\": ").append(fmt("%.1f", ceiling)).append(",\n  \"ceilingProxyRps\": ")
                .append(fmt("%.1f", find(r -> r.name().equals("ceiling-proxy")).map(Run::rps).orElse(0.0))).append(",\n  \"runs\": [");
        sep = "\n";
        for (Run r : runs) {
            j.append(sep).append("    {\"name\": ").append(q(r.name())).append(", \"scenario\": ").append(q(r.scenario()))
                    .append(", \"nodes\": ").append(r.nodes()).append(", \"target\": ").append(q(r.target()))
                    .append(", \"connections\": ").append(r.connections()).append(", \"requests\": ").append(r.requests())
                    .append(", \"seconds\": ").append(fmt("%.2f", r.durationUs() / 1e6))
                    .append(", \"rps\": ").append(fmt("%.1f", r.rps()))
                    .append(", \"ratioToCeiling\": ").append(ceiling == 0 ? "null" : fmt("%.3f", r.rps() / ceiling))
                    .append(", \"errors\": ").append(r.errors())
                    .append(", \"latencyUs\": {\"p50\": ").append(r.p50()).append(", \"p90\": ").append(r.p90())
                    .append(", \"p99\": ").append(r.p99()).append(", \"max\": ").append(r.max()).append("}")
                    .append(", \"nodeCpuUsPerRequest\": ").append(jsonPerRequest(r, r.nodeCpuUs()))
                    .append(", \"nginxCpuUsPerRequest\": ").append(jsonPerRequest(r, r.nginxCpuUs()))
                    .append(", \"redisCpuUsPerRequest\": ").append(jsonPerRequest(r, r.redisCpuUs()))
                    .append(", \"storeCpuUsPerRequest\": ").append(jsonPerRequest(r, r.storeCpuUs()))
                    .append(", \"machineCpuUsPerRequest\": ").append(jsonPerRequest(r, r.machineCpuUs()))
                    .append(", \"rssMb\": ").append(q(r.rss()))
                    .append(", \"cacheHitRatio\": ").append(r.hitRatio().map(v -> fmt("%.3f", v)).orElse("null"))
                    .append(", \"storeOpsPerRequest\": ").append(r.storeOpsPerRequest().map(v -> fmt("%.3f", v)).orElse("null"))
                    .append("}");
            sep = ",\n";
        }
        return j.append("\n  ]\n}\n").toString();
    }

    private static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    // ----- Charts -----

    private static final Color[] SERIES = {new Color(0x4C72B0), new Color(0xDD8452), new Color(0x55A868), new Color(0xC44E52)};

    void throughputChart(Path file) throws IOException {
        List<String> groups = List.of("R", "V", "M", "W");
        List<Integer> nodeCounts = runs.stream().filter(r -> groups.contains(r.name())).map(Run::nodes).distinct().sorted().toList();
        List<String> series = nodeCounts.stream().map(n -> n + (n == 1 ? " node" : " nodes")).toList();
        double[][] values = new double[groups.size()][nodeCounts.size()];
        for (int g = 0; g < groups.size(); g++) {
            for (int s = 0; s < nodeCounts.size(); s++) {
                String name = groups.get(g);
                int n = nodeCounts.get(s);
                values[g][s] = find(r -> r.name().equals(name) && r.nodes() == n).map(Run::rps).orElse(0.0);
            }
        }
        Map<String, Double> lines = new LinkedHashMap<>();
        if (ceiling > 0) {
            lines.put("NGINX static ceiling", ceiling);
        }
        find(r -> r.name().equals("ceiling-proxy")).ifPresent(r -> lines.put("NGINX proxy ceiling", r.rps()));
        find(r -> r.name().equals("ceiling-direct")).ifPresent(r -> lines.put("R straight to node 1", r.rps()));
        bars(file, "Throughput through NGINX (requests/s)", groups, series, values, lines, "%.0f");
    }

    void latencyChart(Path file) throws IOException {
        List<Run> shown = runs.stream().filter(r -> List.of("R", "V", "M", "W", "L").contains(r.name())).toList();
        List<String> groups = shown.stream().map(r -> r.name() + " ×" + r.nodes()).toList();
        double[][] values = new double[shown.size()][2];
        for (int i = 0; i < shown.size(); i++) {
            values[i][0] = shown.get(i).p50() / 1000.0;
            values[i][1] = shown.get(i).p99() / 1000.0;
        }
        bars(file, "Latency (ms) by scenario × nodes", groups, List.of("p50", "p99"), values, Map.of(), "%.1f");
    }

    private static void bars(Path file, String title, List<String> groups, List<String> series, double[][] values,
            Map<String, Double> lines, String labelFormat) throws IOException {
        int width = 960;
        int height = 480;
        int left = 80;
        int right = 20;
        int top = 60;
        int bottom = 60;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        double max = 1;
        for (double[] row : values) {
            for (double v : row) {
                max = Math.max(max, v);
            }
        }
        for (double v : lines.values()) {
            max = Math.max(max, v);
        }
        max *= 1.1;
        int plotW = width - left - right;
        int plotH = height - top - bottom;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.setColor(Color.DARK_GRAY);
        g.drawString(title, left, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        // Horizontal grid with values.
        for (int i = 0; i <= 5; i++) {
            int y = top + plotH - plotH * i / 5;
            g.setColor(new Color(0xE0E0E0));
            g.drawLine(left, y, left + plotW, y);
            g.setColor(Color.GRAY);
            String label = fmt(labelFormat, max * i / 5);
            g.drawString(label, left - 8 - g.getFontMetrics().stringWidth(label), y + 4);
        }
        int groupW = plotW / Math.max(1, groups.size());
        int barW = Math.max(4, (groupW - 16) / Math.max(1, series.size()));
        for (int gi = 0; gi < groups.size(); gi++) {
            int x0 = left + gi * groupW + 8;
            for (int si = 0; si < series.size(); si++) {
                double v = values[gi][si];
                int h = (int) Math.round(plotH * v / max);
                g.setColor(SERIES[si % SERIES.length]);
                g.fillRect(x0 + si * barW, top + plotH - h, barW - 2, h);
                if (barW >= 28 && v > 0) {
                    g.setColor(Color.DARK_GRAY);
                    String label = fmt(labelFormat, v);
                    g.drawString(label, x0 + si * barW + (barW - 2 - g.getFontMetrics().stringWidth(label)) / 2, top + plotH - h - 3);
                }
            }
            g.setColor(Color.DARK_GRAY);
            String name = groups.get(gi);
            g.drawString(name, left + gi * groupW + (groupW - g.getFontMetrics().stringWidth(name)) / 2, top + plotH + 18);
        }
        // Reference lines (ceilings), dashed.
        int li = 0;
        Color[] lineColors = {new Color(0x8172B2), new Color(0x937860)};
        for (var e : lines.entrySet()) {
            int y = top + plotH - (int) Math.round(plotH * e.getValue() / max);
            g.setColor(lineColors[li % lineColors.length]);
            g.setStroke(new BasicStroke(2, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {8, 6}, 0));
            g.drawLine(left, y, left + plotW, y);
            g.setStroke(new BasicStroke(1));
            g.drawString(e.getKey() + " " + fmt(labelFormat, e.getValue()), left + plotW - 260, y - 4);
            li++;
        }
        g.setColor(Color.GRAY);
        g.drawLine(left, top + plotH, left + plotW, top + plotH);
        // Legend.
        int lx = left;
        for (int si = 0; si < series.size(); si++) {
            g.setColor(SERIES[si % SERIES.length]);
            g.fillRect(lx, height - 24, 12, 12);
            g.setColor(Color.DARK_GRAY);
            g.drawString(series.get(si), lx + 16, height - 14);
            lx += 24 + g.getFontMetrics().stringWidth(series.get(si)) + 16;
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }
}
