package io.taskmesh.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.taskmesh.support.ApiClient;
import io.taskmesh.support.ApiResponse;
import io.taskmesh.support.ApiSnapshot;
import io.taskmesh.support.ApiTest;
import io.taskmesh.support.ProblemAssertions;
import io.taskmesh.support.TestUsers;
import io.taskmesh.support.TestUsers.User;
import tools.jackson.databind.JsonNode;

/**
 * A seeded random walk over every operation of API.md but /events: valid and invalid bodies, ids,
 * query parameters, methods and conditional / idempotency headers, as a list owner (by cookie and
 * by token), a viewer, a stranger and an anonymous caller. No answer may be a 5xx, every error
 * must be a problem document, and at the end what each user sees must still be consistent and
 * private. Rerun a failure with {@code -Dtaskmesh.fuzz.seed=<seed>}; {@code -Dtaskmesh.fuzz.requests=<n>}
 * changes the number of requests.
 */
@ApiTest
class ApiFuzzTest {

    private static final long SEED = Long.getLong("taskmesh.fuzz.seed", 20_240_229L);
    private static final int REQUESTS = Integer.getInteger("taskmesh.fuzz.requests", 2_500);
    private static final String[] METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};
    private static final String[] BAD_IDS = {"xyz", "0123456789abcdef0123456X", "0123456789abcdef01234567",
            "0123456789ABCDEF01234567", "%20", "%E2%98%83", "null", "0", "99999999999999999999999", "%22%27%3C",
            "a.b", "-", "~", "%2e%2e", "%25", "a;b", "%00", "%2F"};
    private static final String[] PIECES = {"Grüße", "👩‍👩‍👧", "日本語", "𝄞", "\u0000", "\u0001", "\u001f", "\u007f",
            "\ud800", "\udc00", "\u00a0", "\u2028", "\ufeff", "\uffff", "'", "\"", "\\", "<script>", "%00", "$where",
            "{\"$gt\":\"\"}", "../", " ", "\t", "\n", "é", "e\u0301", "ﷺ", "\u202e", "x", "milk", "0", "-1", "true"};
    private static final String[] FIELDS = {"name", "title", "notes", "due", "priority", "position", "completed",
            "listId", "email", "password", "displayName", "role", "status", "view", "id", "version", "", "$set",
            "a.b", "_id", "owner", "members"};

    @LocalServerPort
    int port;

    private final Random random = new Random(SEED);
    private final List<String> failures = new ArrayList<>();
    private final Map<String, String> taskLists = new LinkedHashMap<>();
    private final List<String> ownerLists = new ArrayList<>();
    private final List<String> deletableLists = new ArrayList<>();
    private final List<String> cursors = new ArrayList<>();
    private final Map<Integer, Integer> statuses = new java.util.TreeMap<>();

    private User owner;
    private User viewer;
    private User stranger;
    private String shared;
    private String privateList;
    private String strangerList;
    private Actor[] actors;
    private ApiClient scratch;
    private int sent;

    private record Actor(String name, ApiClient client, boolean cookie) {
    }

    @Test
    void randomRequestsNeverFailTheServerAndKeepDataConsistent() {
        System.out.println("ApiFuzzTest: seed " + SEED + ", " + REQUESTS
                + " requests (rerun with -Dtaskmesh.fuzz.seed=" + SEED + ")");
        long start = System.nanoTime();
        TestUsers users = new TestUsers(port);
        owner = users.signUp();
        viewer = users.signUp();
        stranger = users.signUp();
        shared = owner.createList("Shared");
        privateList = owner.createList("Private");
        strangerList = stranger.createList("Stranger's");
        owner.share(shared, viewer, "viewer");
        ownerLists.add(shared);
        ownerLists.add(privateList);
        for (int i = 0; i < 4; i++) {
            taskLists.put(owner.createTask(shared, "shared " + i), shared);
            taskLists.put(owner.createTask(privateList, "private " + i), privateList);
        }
        taskLists.put(stranger.createTask(strangerList, "stranger's"), strangerList);
        actors = new Actor[] {new Actor("owner", owner.client(), true),
                new Actor("owner-token", users.bearerClient(owner), false),
                new Actor("viewer", viewer.client(), true),
                new Actor("stranger", stranger.client(), true),
                new Actor("anonymous", ApiClient.at(port), false)};
        scratch = ApiClient.at(port);

        for (int i = 0; i < REQUESTS; i++) {
            step(i);
        }
        long fuzzMillis = (System.nanoTime() - start) / 1_000_000;
        checkInvariants();
        System.out.println("ApiFuzzTest: " + sent + " requests in " + fuzzMillis + " ms; statuses " + statuses
                + "; " + failures.size() + " failures");
        assertThat(sent).isGreaterThanOrEqualTo(Math.min(REQUESTS, 2_000));
        assertThat(failures).as("seed " + SEED + ": " + failures.size() + " failures:\n"
                + String.join("\n", failures.subList(0, Math.min(failures.size(), 60)))).isEmpty();
    }

    // ---------------------------------------------------------------- one random request

    private void step(int index) {
        Actor actor = pickActor();
        Map<String, String> headers = new HashMap<>();
        String method;
        String path;
        Object body = null;
        int op = random.nextInt(26);
        switch (op) {
            case 0 -> {
                method = "GET";
                path = "/api/v1/me";
            }
            case 1, 2, 3 -> {
                actor = new Actor("scratch", scratch, true);
                method = "POST";
                path = op == 1 ? "/api/v1/auth/signup" : op == 2 ? "/api/v1/auth/login" : "/api/v1/auth/tokens";
                body = body(Map.of("email", this::emailValue, "password", this::passwordValue,
                        "displayName", this::stringValue, "name", this::stringValue));
            }
            case 4 -> {
                method = "GET";
                path = "/api/v1/me/tokens";
            }
            case 5 -> {
                method = "DELETE";
                path = "/api/v1/me/tokens/" + badId();
            }
            case 6 -> {
                if (actor.cookie()) {
                    actor = actors[4];
                }
                method = "POST";
                path = "/api/v1/auth/logout";
            }
            case 7 -> {
                method = "GET";
                path = "/api/v1/lists";
            }
            case 8 -> {
                method = "POST";
                path = "/api/v1/lists";
                body = random.nextInt(10) < 4 ? "{\"name\":" + quote(cleanString()) + "}"
                        : body(Map.of("name", this::stringValue));
            }
            case 9 -> {
                method = "GET";
                path = "/api/v1/lists/" + listId();
            }
            case 10 -> {
                method = "PATCH";
                path = "/api/v1/lists/" + listId();
                body = body(Map.of("name", this::stringValue));
            }
            case 11 -> {
                method = "DELETE";
                path = "/api/v1/lists/" + deletableListId();
            }
            case 12 -> {
                method = "GET";
                path = "/api/v1/lists/" + listId() + "/members";
            }
            case 13 -> {
                String list = listId();
                if (list.equals(privateList)) {
                    list = shared;
                }
                method = "POST";
                path = "/api/v1/lists/" + list + "/members";
                body = body(Map.of("email", this::emailValue, "role", this::roleValue));
            }
            case 14 -> {
                String list = deletableListId();
                String[] who = {owner.id(), viewer.id(), stranger.id(), badId()};
                method = "DELETE";
                path = "/api/v1/lists/" + list + "/members/" + who[random.nextInt(who.length)];
            }
            case 15, 16 -> {
                method = "GET";
                path = "/api/v1/lists/" + listId() + "/tasks" + query("status", "q", "limit", "cursor");
            }
            case 17, 18 -> {
                method = "POST";
                path = "/api/v1/lists/" + listId() + "/tasks";
                body = random.nextInt(10) < 4 ? validTaskBody(true) : taskBody();
            }
            case 19 -> {
                String list = listId();
                method = "GET";
                path = "/api/v1/lists/" + list + "/tasks/" + taskId(list);
            }
            case 20, 21 -> {
                String list = listId();
                method = "PATCH";
                path = "/api/v1/lists/" + list + "/tasks/" + taskId(list);
                body = random.nextInt(10) < 4 ? validTaskBody(false) : taskBody();
            }
            case 22 -> {
                String list = listId();
                method = "DELETE";
                path = "/api/v1/lists/" + list + "/tasks/" + taskId(list);
            }
            case 23 -> {
                method = "POST";
                path = "/api/v1/lists/" + listId() + "/tasks/complete-all";
                body = body(Map.of("completed", this::boolValue));
            }
            case 24 -> {
                method = random.nextBoolean() ? "DELETE" : "GET";
                path = "/api/v1/" + (random.nextBoolean() ? "tasks" : "lists/" + listId() + "/tasks")
                        + query("status", "view", "q", "limit", "cursor", "tz");
            }
            default -> {
                method = METHODS[random.nextInt(METHODS.length)];
                String list = deletableListId();
                String[] paths = {"/api/v1/lists", "/api/v1/lists/" + list, "/api/v1/lists/" + list + "/members",
                        "/api/v1/lists/" + list + "/tasks", "/api/v1/lists/" + list + "/tasks/" + taskId(list),
                        "/api/v1/lists/" + list + "/tasks/complete-all", "/api/v1/tasks", "/api/v1/me",
                        "/api/v1/me/tokens", "/api/v1/auth/signup", "/api/v1/events/x", "/api/v1/nothing",
                        "/api/v1/lists/" + list + "/members/" + badId()};
                path = paths[random.nextInt(paths.length)];
                if (path.startsWith("/api/v1/auth")) {
                    actor = new Actor("scratch", scratch, true);
                }
                if (!method.equals("GET") && !method.equals("HEAD") && random.nextBoolean()) {
                    body = randomJson(3);
                }
            }
        }
        addRandomHeaders(method, headers, actor);
        send(index, actor, method, path, body, headers);
    }

    private void send(int index, Actor actor, String method, String path, Object body, Map<String, String> headers) {
        ApiResponse response;
        try {
            response = actor.client().send(method, path, body, headers);
        } catch (IllegalArgumentException e) {
            return; // the client refused to build the request (e.g. a header value it cannot send)
        } catch (RuntimeException e) {
            sent++;
            failures.add(describe(index, actor, method, path, body, headers) + " -> no answer: " + e);
            return;
        }
        sent++;
        statuses.merge(response.status(), 1, Integer::sum);
        if (response.status() >= 500) {
            failures.add(describe(index, actor, method, path, body, headers) + " -> " + abbreviate(response.status()
                    + " " + response.text(), 300));
        } else if (response.status() >= 400) {
            List<String> defects = ProblemAssertions.problemDefects(response, !method.equals("HEAD"));
            if (!defects.isEmpty()) {
                failures.add(describe(index, actor, method, path, body, headers) + " -> " + defects + " "
                        + abbreviate(response.status() + " " + response.text(), 200));
            }
        } else {
            learn(method, path, response);
        }
    }

    /** Remembers the ids and cursors that successful answers reveal, so that later requests use them. */
    private void learn(String method, String path, ApiResponse response) {
        if (response.status() == 204 && method.equals("DELETE") && path.matches(".*/tasks/[0-9a-f]{24}")) {
            taskLists.remove(path.substring(path.length() - 24));
        }
        if (response.contentType() == null || !response.contentType().startsWith("application/json")
                || response.text().isEmpty()) {
            return;
        }
        JsonNode json = response.json();
        if (method.equals("POST") && path.equals("/api/v1/lists") && response.status() == 201
                && response.header("Idempotent-Replayed") == null) {
            ownerLists.add(json.get("id").asString());
            deletableLists.add(json.get("id").asString());
        } else if (json.has("listId") && json.has("title") && json.has("id")) {
            taskLists.put(json.get("id").asString(), json.get("listId").asString());
        } else if (json.has("nextCursor") && json.get("nextCursor").isString()) {
            cursors.add(json.get("nextCursor").asString());
        }
    }

    // ---------------------------------------------------------------- generators

    private Actor pickActor() {
        int r = random.nextInt(100);
        return r < 40 ? actors[0] : r < 60 ? actors[1] : r < 75 ? actors[2] : r < 90 ? actors[3] : actors[4];
    }

    /** A list id: mostly the owner's, sometimes the stranger's, sometimes malformed. */
    private String listId() {
        int r = random.nextInt(100);
        if (r < 70) {
            return ownerLists.get(random.nextInt(ownerLists.size()));
        }
        return r < 85 ? strangerList : badId();
    }

    /** A list that may be deleted, or whose members may be removed: never one of the fixture lists. */
    private String deletableListId() {
        int r = random.nextInt(100);
        if (r < 50 && !deletableLists.isEmpty()) {
            return deletableLists.get(random.nextInt(deletableLists.size()));
        }
        return r < 75 ? strangerList : badId();
    }

    private String taskId(String list) {
        int r = random.nextInt(100);
        List<String> known = new ArrayList<>(taskLists.keySet());
        if (r < 60) {
            List<String> inList = known.stream().filter(t -> list.equals(taskLists.get(t))).toList();
            if (!inList.isEmpty()) {
                return inList.get(random.nextInt(inList.size()));
            }
        }
        if (r < 80 && !known.isEmpty()) {
            return known.get(random.nextInt(known.size()));
        }
        return badId();
    }

    private String badId() {
        if (random.nextInt(4) == 0) {
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 24; i++) {
                hex.append("0123456789abcdef".charAt(random.nextInt(16)));
            }
            return hex.toString();
        }
        return BAD_IDS[random.nextInt(BAD_IDS.length)];
    }

    private String query(String... names) {
        StringBuilder query = new StringBuilder();
        for (String name : names) {
            if (random.nextInt(100) < 40) {
                query.append(query.length() == 0 ? "?" : "&").append(name).append('=')
                        .append(URLEncoder.encode(queryValue(name), StandardCharsets.UTF_8));
            }
        }
        if (random.nextInt(10) == 0) {
            query.append(query.length() == 0 ? "?" : "&").append(URLEncoder.encode(randomString(), StandardCharsets.UTF_8))
                    .append('=').append(URLEncoder.encode(randomString(), StandardCharsets.UTF_8));
        }
        return query.toString();
    }

    private String queryValue(String name) {
        return switch (name) {
            case "status" -> pick("all", "active", "completed", "ALL", "done", "", randomString());
            case "view" -> pick("today", "week", "overdue", "all", "month", "", randomString());
            case "limit" -> pick("1", "2", "7", "50", "200", "201", "0", "-1", "99999999999", "abc", "1.5", "", " 3");
            case "cursor" -> cursors.isEmpty() || random.nextBoolean()
                    ? pick("garbage", "", "WyJ4IiwxLCJ5Il0", "W10", "bnVsbA", "%%%", randomString())
                    : cursors.get(random.nextInt(cursors.size()));
            case "tz" -> pick("UTC", "Europe/Paris", "Pacific/Kiritimati", "Mars/Phobos", "", "+05:00", "GMT+99");
            default -> randomString();
        };
    }

    private String pick(String... values) {
        return values[random.nextInt(values.length)];
    }

    /** A task body every editor's request should succeed with. */
    private String validTaskBody(boolean create) {
        List<String> members = new ArrayList<>();
        if (create || random.nextBoolean()) {
            members.add("\"title\":" + quote(cleanString()));
        }
        if (random.nextBoolean()) {
            members.add("\"due\":" + (random.nextInt(5) == 0 ? "null"
                    : quote(LocalDate.now().plusDays(random.nextInt(21) - 10).toString())));
        }
        if (random.nextBoolean()) {
            members.add("\"priority\":" + quote(pick("none", "low", "medium", "high")));
        }
        if (random.nextInt(3) == 0) {
            members.add("\"completed\":" + random.nextBoolean());
        }
        if (random.nextInt(4) == 0) {
            members.add("\"position\":" + (random.nextInt(2000) - 1000) / 8.0);
        }
        if (!create && random.nextInt(8) == 0) {
            members.add("\"listId\":" + quote(ownerLists.get(random.nextInt(ownerLists.size()))));
        }
        return "{" + String.join(",", members) + "}";
    }

    private Object taskBody() {
        Map<String, Supplier<String>> fields = new LinkedHashMap<>();
        fields.put("title", this::stringValue);
        fields.put("notes", this::stringValue);
        fields.put("due", this::dueValue);
        fields.put("priority", () -> random.nextInt(4) == 0 ? randomJson(1)
                : quote(pick("none", "low", "medium", "high", "HIGH", "urgent", "")));
        fields.put("position", this::numberValue);
        fields.put("completed", this::boolValue);
        fields.put("listId", () -> random.nextInt(4) == 0 ? randomJson(1) : quote(listId()));
        return body(fields);
    }

    /**
     * A request body: mostly an object with some of the operation's fields (valid or not), sometimes
     * any JSON value, sometimes text that is not JSON at all.
     */
    private Object body(Map<String, Supplier<String>> fields) {
        int r = random.nextInt(100);
        if (r < 60) {
            return objectBody(fields);
        }
        if (r < 82) {
            return randomJson(4);
        }
        if (r < 99) {
            String valid = objectBody(fields);
            return switch (random.nextInt(6)) {
                case 0 -> valid.substring(0, random.nextInt(Math.max(1, valid.length())));
                case 1 -> valid + "}";
                case 2 -> "";
                case 3 -> valid.replace("\"", "'");
                case 4 -> "[".repeat(1 + random.nextInt(3000));
                default -> valid.getBytes(StandardCharsets.UTF_16);
            };
        }
        return "{\"notes\":\"" + "x".repeat(BodyLimitFilter.MAX_BODY_BYTES) + "\"}";
    }

    private String objectBody(Map<String, Supplier<String>> fields) {
        {
            List<String> members = new ArrayList<>();
            for (Map.Entry<String, Supplier<String>> field : fields.entrySet()) {
                if (random.nextInt(100) < 65) {
                    members.add(quote(field.getKey()) + ":" + field.getValue().get());
                }
            }
            if (random.nextInt(10) == 0) {
                members.add(quote(FIELDS[random.nextInt(FIELDS.length)]) + ":" + randomJson(2));
            }
            java.util.Collections.shuffle(members, random);
            return "{" + String.join(",", members) + "}";
        }
    }

    private String stringValue() {
        int r = random.nextInt(100);
        if (r < 45) {
            return quote(cleanString());
        }
        if (r < 70) {
            return quote(randomString());
        }
        if (r < 85) {
            int[] lengths = {0, 1, 199, 200, 201, 499, 500, 501, 9_999, 10_000, 10_001};
            return quote(" ".repeat(random.nextInt(3)) + "ä".repeat(lengths[random.nextInt(lengths.length)]));
        }
        return randomJson(1);
    }

    private String emailValue() {
        int r = random.nextInt(10);
        return switch (r) {
            case 0 -> quote(owner.email());
            case 1 -> quote(viewer.email());
            case 2 -> quote(stranger.email().toUpperCase());
            case 3 -> quote("fuzz-" + random.nextInt(1_000_000) + "@example.test");
            case 4 -> quote("not an email");
            case 5 -> randomJson(1);
            default -> quote(randomString() + "@" + randomString() + ".test");
        };
    }

    private String passwordValue() {
        return random.nextInt(3) == 0 ? quote(TestUsers.PASSWORD)
                : random.nextBoolean() ? quote(randomString()) : randomJson(1);
    }

    private String roleValue() {
        return random.nextInt(4) == 0 ? randomJson(1) : quote(pick("editor", "viewer", "owner", "EDITOR", "admin", ""));
    }

    private String boolValue() {
        return random.nextInt(3) == 0 ? randomJson(1) : Boolean.toString(random.nextBoolean());
    }

    private String dueValue() {
        int r = random.nextInt(10);
        if (r < 5) {
            return quote(LocalDate.now().plusDays(random.nextInt(21) - 10).toString());
        }
        if (r < 8) {
            return quote(pick("2023-02-30", "2024-13-01", "2024-1-1", "tomorrow", "", "2024-02-29", "0000-01-01",
                    "9999-12-31", "2024-01-01T00:00:00Z", "+10000-01-01"));
        }
        return random.nextBoolean() ? "null" : randomJson(1);
    }

    private String numberValue() {
        return pick("0", "1", "-1", "0.5", "1e15", "-1e15", "1e16", "1e400", "-0", "123456789012345678901234567890",
                "3.141592653589793", "1E-400", "\"1\"", "null", "true", Double.toString(random.nextDouble() * 100),
                Integer.toString(random.nextInt()));
    }

    /** A string every text field accepts: letters, digits, spaces, punctuation, accents, emoji. */
    private String cleanString() {
        String[] words = {"milk", "Grüße", "👩‍👩‍👧", "日本語", "𝄞", "call mom", "e\u0301", "x", "2024", "<b>", "a'b"};
        StringBuilder text = new StringBuilder(words[random.nextInt(words.length)]);
        for (int i = random.nextInt(4); i > 0; i--) {
            text.append(' ').append(words[random.nextInt(words.length)]);
        }
        return text.toString();
    }

    private String randomString() {
        StringBuilder text = new StringBuilder();
        int pieces = random.nextInt(6);
        for (int i = 0; i < pieces; i++) {
            if (random.nextBoolean()) {
                text.append(PIECES[random.nextInt(PIECES.length)]);
            } else {
                text.appendCodePoint(random.nextInt(4) == 0 ? random.nextInt(0x30000) : 0x20 + random.nextInt(0x5f));
            }
        }
        return text.toString();
    }

    /** Any JSON value, as text, of up to {@code depth} levels. */
    private String randomJson(int depth) {
        int kind = random.nextInt(depth > 0 ? 9 : 7);
        switch (kind) {
            case 0:
                return "null";
            case 1:
                return Boolean.toString(random.nextBoolean());
            case 2:
                return Long.toString(random.nextLong() >> random.nextInt(64));
            case 3:
                return pick("1e400", "-1e400", "1e308", "4.9e-324", "123456789012345678901234567890123", "0.0",
                        "-0", Double.toString(random.nextGaussian() * 1e6));
            case 4:
            case 5:
                return quote(randomString());
            case 6:
                return quote(LocalDate.now().toString());
            case 7: {
                List<String> items = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    items.add(randomJson(depth - 1));
                }
                return "[" + String.join(",", items) + "]";
            }
            default: {
                List<String> members = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    String name = random.nextInt(3) == 0 ? randomString() : FIELDS[random.nextInt(FIELDS.length)];
                    members.add(quote(name) + ":" + randomJson(depth - 1));
                }
                return "{" + String.join(",", members) + "}";
            }
        }
    }

    /** A JSON string literal; control characters and every surrogate are written as escapes. */
    private static String quote(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }

    private void addRandomHeaders(String method, Map<String, String> headers, Actor actor) {
        if (random.nextInt(100) < 15) {
            headers.put("If-Match", pick("\"1\"", "\"2\"", "\"3\"", "\"999\"", "*", "garbage", "W/\"1\"", "\"1\", \"2\"",
                    "\"-1\"", "\"99999999999999999999\""));
        }
        if (random.nextInt(100) < 10) {
            headers.put("If-None-Match", pick("\"1\"", "\"2\"", "*", "W/\"1\"", "garbage", "\"1\", \"2\""));
        }
        if (method.equals("POST") && random.nextInt(100) < 15) {
            headers.put("Idempotency-Key", random.nextInt(10) == 0 ? pick("", "with space", "k".repeat(300), "ä")
                    : "fuzz-key-" + random.nextInt(40));
        }
        if (random.nextInt(100) < 4) {
            headers.put("Content-Type", pick("text/plain", "application/json; charset=UTF-16", "application/xml",
                    "application/merge-patch+json", "application/json; charset=nope", "multipart/form-data"));
        }
        if (random.nextInt(100) < 3) {
            headers.put("Accept", pick("text/html", "application/xml", "*/*", "application/problem+json"));
        }
        if (actor.cookie() && random.nextInt(100) < 3) {
            headers.put("X-XSRF-TOKEN", "forged");
        }
    }

    // ---------------------------------------------------------------- invariants at the end

    private void checkInvariants() {
        ApiClient ownerClient = owner.client();
        JsonNode lists = get(ownerClient, "/api/v1/lists").json();
        Set<String> ownerListIds = new HashSet<>();
        long open = 0;
        for (JsonNode list : lists) {
            String id = list.get("id").asString();
            ownerListIds.add(id);
            List<JsonNode> tasks = ApiSnapshot.allPages(ownerClient, "/api/v1/lists/" + id + "/tasks?limit=7");
            Set<String> seen = new HashSet<>();
            double lastPosition = Double.NEGATIVE_INFINITY;
            long openHere = 0;
            for (JsonNode task : tasks) {
                String taskId = task.get("id").asString();
                check(seen.add(taskId), "task " + taskId + " appears twice in the pages of list " + id);
                check(task.get("listId").asString().equals(id), "task " + taskId + " is paged in list " + id
                        + " but says listId " + task.get("listId"));
                check(task.get("position").doubleValue() >= lastPosition, "list " + id + " is not in position order");
                lastPosition = task.get("position").doubleValue();
                openHere += task.get("completed").booleanValue() ? 0 : 1;
                ApiResponse one = ownerClient.get("/api/v1/lists/" + id + "/tasks/" + taskId);
                check(one.status() == 200 && one.json().equals(task), "paged task " + taskId + " reads by id as " + one);
            }
            check(list.get("totalCount").longValue() == tasks.size(), "list " + id + " says totalCount "
                    + list.get("totalCount") + " but pages hold " + tasks.size());
            check(list.get("openCount").longValue() == openHere, "list " + id + " says openCount "
                    + list.get("openCount") + " but pages hold " + openHere + " open tasks");
            open += openHere;

            Set<String> members = new HashSet<>();
            for (JsonNode member : get(ownerClient, "/api/v1/lists/" + id + "/members").json()) {
                members.add(member.get("userId").asString() + ":" + member.get("role").asString());
            }
            if (id.equals(privateList)) {
                check(members.equals(Set.of(owner.id() + ":owner")), "the private list got members " + members);
            }
            for (User other : new User[] {viewer, stranger}) {
                ApiResponse seen2 = other.client().get("/api/v1/lists/" + id);
                boolean member = members.stream().anyMatch(m -> m.startsWith(other.id() + ":"));
                check(seen2.status() == (member ? 200 : 404), other.email() + " reads list " + id + " as "
                        + seen2.status() + " though member=" + member);
                if (!member && !tasks.isEmpty()) {
                    String taskId = tasks.get(0).get("id").asString();
                    ApiResponse task = other.client().get("/api/v1/lists/" + id + "/tasks/" + taskId);
                    check(task.status() == 404, "a non-member reads task " + taskId + " as " + task.status());
                }
            }
        }
        check(ownerListIds.contains(shared) && ownerListIds.contains(privateList), "a fixture list disappeared");

        List<JsonNode> view = ApiSnapshot.allPages(ownerClient, "/api/v1/tasks?view=all&limit=13");
        check(view.size() == open, "view=all holds " + view.size() + " tasks but the lists hold " + open + " open");
        for (JsonNode task : view) {
            check(!task.get("completed").booleanValue(), "view=all shows completed task " + task.get("id"));
            check(ownerListIds.contains(task.get("listId").asString()), "view=all shows a task of an unseen list");
        }

        for (User other : new User[] {viewer, stranger}) {
            Set<String> visible = new HashSet<>();
            get(other.client(), "/api/v1/lists").json().forEach(l -> visible.add(l.get("id").asString()));
            check(!visible.contains(privateList), other.email() + " sees the private list");
            for (JsonNode task : ApiSnapshot.allPages(other.client(), "/api/v1/tasks?view=all&limit=200")) {
                String listId = task.get("listId").asString();
                check(visible.contains(listId), other.email() + " sees task " + task.get("id") + " of list " + listId);
                check(!listId.equals(privateList), other.email() + " sees a task of the private list");
            }
        }
        check(ApiClient.at(port).get("/api/v1/lists").status() == 401, "anonymous callers can list");
    }

    private ApiResponse get(ApiClient client, String path) {
        ApiResponse response = client.get(path);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response;
    }

    private void check(boolean condition, String failure) {
        if (!condition) {
            failures.add("invariant: " + failure);
        }
    }

    private String describe(int index, Actor actor, String method, String path, Object body, Map<String, String> headers) {
        String text = body == null ? "" : body instanceof byte[] b ? "<" + b.length + " bytes>" : body.toString();
        return "#" + index + " as " + actor.name() + ": " + method + " " + path + " " + headers + " " + abbreviate(text, 300);
    }

    private static String abbreviate(String text, int max) {
        String printable = text.replace("\n", "\\n");
        return printable.length() <= max ? printable : printable.substring(0, max) + "…(" + printable.length() + " chars)";
    }
}
