package io.taskmesh.web;

import static io.taskmesh.support.ProblemAssertions.assertFieldError;
import static io.taskmesh.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.taskmesh.support.ApiClient;
import io.taskmesh.support.ApiResponse;
import io.taskmesh.support.ApiSnapshot;
import io.taskmesh.support.ApiTest;
import io.taskmesh.support.TestUsers;
import io.taskmesh.support.TestUsers.User;
import tools.jackson.databind.JsonNode;

/**
 * Bad input to every endpoint that reads a body or query: each answer must be a 4xx
 * {@code application/problem+json} naming the problem (or a success where the input is valid), and
 * what every involved user can see through the API must be the same afterwards.
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputApiTest {

    private static final String UNICODE = "Grüße 👩‍👩‍👧 日本語 𝄞";
    private static final String MISSING_ID = "0123456789abcdef01234567";

    @LocalServerPort
    int port;

    TestUsers users;
    User owner;
    User viewer;
    User stranger;
    String list;
    String task;
    String otherList;
    String otherTask;
    String strangerList;
    String strangerSharedAsViewer;

    @BeforeAll
    void fixture() {
        users = new TestUsers(port);
        owner = users.signUp();
        viewer = users.signUp();
        stranger = users.signUp();
        list = owner.createList("Shared");
        task = owner.createTask(list, "Buy milk");
        otherList = owner.createList("Private");
        otherTask = owner.createTask(otherList, "Secret");
        owner.share(list, viewer, "viewer");
        strangerList = stranger.createList("Stranger's");
        stranger.createTask(strangerList, "Not yours");
        strangerSharedAsViewer = stranger.createList("Shared with the owner to read");
        stranger.share(strangerSharedAsViewer, owner, "viewer");
    }

    // ---------------------------------------------------------------- the rejected requests

    @TestFactory
    Stream<DynamicTest> everyBadRequestIsA4xxProblemAndChangesNothing() {
        List<Case> cases = new ArrayList<>();
        malformedBodies(cases);
        accountFields(cases);
        listFields(cases);
        memberFields(cases);
        taskFields(cases);
        queryParameters(cases);
        malformedIds(cases);
        accessAndPreconditions(cases);
        lastSnapshot = null;
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name, () -> run(c)));
    }

    private Map<String, Object> lastSnapshot;

    private void run(Case c) {
        Map<String, Object> before = lastSnapshot != null ? lastSnapshot : snapshot();
        lastSnapshot = null;
        ApiResponse response = c.client.send(c.method, c.path, c.body, c.headers);
        if (c.field != null) {
            assertFieldError(response, c.status, c.field);
        } else {
            assertProblem(response, c.status);
        }
        Map<String, Object> after = snapshot();
        assertThat(after).as("what the users see after " + c.name).isEqualTo(before);
        lastSnapshot = after;
    }

    private Map<String, Object> snapshot() {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("owner", ApiSnapshot.of(owner.client()));
        all.put("viewer lists", viewer.client().get("/api/v1/lists").json());
        all.put("stranger", ApiSnapshot.of(stranger.client()));
        return all;
    }

    /** Bodies no endpoint may accept, sent to every endpoint that reads one. */
    private void malformedBodies(List<Case> cases) {
        Map<String, Object> bodies = new LinkedHashMap<>();
        bodies.put("truncated JSON", "{\"name\": ");
        bodies.put("lone brace", "{");
        bodies.put("trailing comma", "{\"name\":\"x\",}");
        bodies.put("single quotes", "{'name':'x'}");
        bodies.put("NaN", "{\"position\":NaN}");
        bodies.put("comment", "{/* hi */\"name\":\"x\"}");
        bodies.put("trailing garbage", "{\"name\":\"x\"} garbage");
        bodies.put("empty body", "");
        bodies.put("whitespace body", "   \n");
        bodies.put("JSON array", "[]");
        bodies.put("array of objects", "[{\"name\":\"x\",\"title\":\"x\"}]");
        bodies.put("JSON string", "\"name\"");
        bodies.put("JSON number", "42");
        bodies.put("JSON true", "true");
        bodies.put("JSON null", "null");
        bodies.put("5000 nested arrays", "[".repeat(5000) + "]".repeat(5000));
        bodies.put("5000 unclosed arrays", "[".repeat(5000));
        bodies.put("5000 nested objects", "{\"a\":".repeat(5000) + "1" + "}".repeat(5000));
        bodies.put("raw control character in string", "{\"name\":\"a\u0001b\",\"title\":\"a\u0001b\"}");
        bodies.put("invalid UTF-8", new byte[] {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        bodies.put("1001-digit number", "{\"position\":" + "9".repeat(1001) + "}");

        for (Endpoint e : bodyEndpoints()) {
            bodies.forEach((what, body) -> cases.add(new Case(e.name + ": " + what, e.client, e.method, e.path, body, 400)));
            cases.add(new Case(e.name + ": 2 MiB body", e.client, e.method, e.path,
                    "{\"name\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}", 413));
            cases.add(new Case(e.name + ": text/plain", e.client, e.method, e.path, e.validBody, 415)
                    .header("Content-Type", "text/plain"));
            cases.add(new Case(e.name + ": no Content-Type", e.client, e.method, e.path, e.validBody, 415)
                    .header("Content-Type", null));
            cases.add(new Case(e.name + ": unknown charset", e.client, e.method, e.path, e.validBody, 415)
                    .header("Content-Type", "application/json; charset=no-such-charset"));
            cases.add(new Case(e.name + ": form content", e.client, e.method, e.path, "name=x&title=y", 415)
                    .header("Content-Type", "application/x-www-form-urlencoded"));
        }
    }

    private record Endpoint(String name, ApiClient client, String method, String path, String validBody) {
    }

    private List<Endpoint> bodyEndpoints() {
        String credentials = "\"email\":\"" + owner.email() + "\",\"password\":\"" + TestUsers.PASSWORD + "\"";
        return List.of(
                new Endpoint("signup", anonymous(), "POST", "/api/v1/auth/signup",
                        "{\"email\":\"new-" + UUID.randomUUID() + "@example.test\",\"password\":\"long enough\"}"),
                new Endpoint("login", anonymous(), "POST", "/api/v1/auth/login", "{" + credentials + "}"),
                new Endpoint("tokens", anonymous(), "POST", "/api/v1/auth/tokens", "{" + credentials + ",\"name\":\"t\"}"),
                new Endpoint("create list", owner.client(), "POST", "/api/v1/lists", "{\"name\":\"x\"}"),
                new Endpoint("rename list", owner.client(), "PATCH", "/api/v1/lists/" + list, "{\"name\":\"x\"}"),
                new Endpoint("add member", owner.client(), "POST", "/api/v1/lists/" + list + "/members",
                        "{\"email\":\"" + stranger.email() + "\",\"role\":\"editor\"}"),
                new Endpoint("create task", owner.client(), "POST", "/api/v1/lists/" + list + "/tasks", "{\"title\":\"x\"}"),
                new Endpoint("change task", owner.client(), "PATCH", "/api/v1/lists/" + list + "/tasks/" + task,
                        "{\"title\":\"x\"}"),
                new Endpoint("complete all", owner.client(), "POST", "/api/v1/lists/" + list + "/tasks/complete-all",
                        "{\"completed\":true}"));
    }

    private void accountFields(List<Case> cases) {
        String signup = "/api/v1/auth/signup";
        String fresh = "\"fresh-" + UUID.randomUUID() + "@example.test\"";
        field(cases, "signup", anonymous(), "POST", signup, "{\"email\":123,\"password\":\"long enough\"}", "email");
        field(cases, "signup", anonymous(), "POST", signup, "{\"email\":" + fresh + ",\"password\":12345678}", "password");
        field(cases, "signup", anonymous(), "POST", signup, "{\"email\":" + fresh + ",\"password\":\"short\"}", "password");
        field(cases, "signup", anonymous(), "POST", signup, "{\"email\":\"not-an-email\",\"password\":\"long enough\"}", "email");
        field(cases, "signup", anonymous(), "POST", signup, "{\"password\":\"long enough\"}", "email");
        field(cases, "signup", anonymous(), "POST", signup, "{\"email\":" + fresh + "}", "password");
        field(cases, "signup", anonymous(), "POST", signup, "{\"email\":null,\"password\":null}", "email");
        field(cases, "signup", anonymous(), "POST", signup,
                "{\"email\":" + fresh + ",\"password\":\"long enough\",\"displayName\":5}", "displayName");
        field(cases, "signup", anonymous(), "POST", signup,
                "{\"email\":" + fresh + ",\"password\":\"long enough\",\"displayName\":\"" + "d".repeat(101) + "\"}", "displayName");
        field(cases, "signup", anonymous(), "POST", signup, "{\"email\":\"a\\u0000b@example.test\",\"password\":\"long enough\"}", "email");
        field(cases, "signup", anonymous(), "POST", signup, "{\"email\":" + fresh + ",\"password\":\"long \\ud800 enough\"}", "password");
        cases.add(new Case("signup: existing e-mail in other case", anonymous(), "POST", signup,
                Map.of("email", owner.email().toUpperCase(), "password", "long enough"), 409));

        String login = "/api/v1/auth/login";
        field(cases, "login", anonymous(), "POST", login, "{\"email\":123,\"password\":\"whatever1\"}", "email");
        field(cases, "login", anonymous(), "POST", login, "{\"email\":\"" + owner.email() + "\",\"password\":true}", "password");
        field(cases, "login", anonymous(), "POST", login, "{}", "email");
        cases.add(new Case("login: unknown account", anonymous(), "POST", login,
                Map.of("email", "nobody-" + UUID.randomUUID() + "@example.test", "password", "whatever1"), 401));

        String tokens = "/api/v1/auth/tokens";
        String credentials = "\"email\":\"" + owner.email() + "\",\"password\":\"" + TestUsers.PASSWORD + "\"";
        field(cases, "tokens", anonymous(), "POST", tokens, "{" + credentials + "}", "name");
        field(cases, "tokens", anonymous(), "POST", tokens, "{" + credentials + ",\"name\":123}", "name");
        field(cases, "tokens", anonymous(), "POST", tokens, "{" + credentials + ",\"name\":\"  \"}", "name");
        field(cases, "tokens", anonymous(), "POST", tokens, "{" + credentials + ",\"name\":\"" + "n".repeat(101) + "\"}", "name");
        field(cases, "tokens", anonymous(), "POST", tokens, "{\"email\":\"" + owner.email() + "\",\"name\":\"t\"}", "password");
    }

    private void listFields(List<Case> cases) {
        for (String[] target : new String[][] {{"create list", "POST", "/api/v1/lists"},
                {"rename list", "PATCH", "/api/v1/lists/" + list}}) {
            for (String body : new String[] {"{\"name\":123}", "{\"name\":\"\"}", "{\"name\":\"  \\t\\n \"}", "{\"name\":\"\\u00a0\\u202f\"}",
                    "{\"name\":\"" + "n".repeat(201) + "\"}", "{\"name\":null}", "{}", "{\"title\":\"x\"}",
                    "{\"name\":\"a\\u0000b\"}", "{\"name\":\"a\\ud800b\"}", "{\"name\":\"a\\udc00\"}",
                    "{\"name\":[\"x\"]}", "{\"name\":{\"x\":1}}", "{\"name\":true}"}) {
                field(cases, target[0], owner.client(), target[1], target[2], body, "name");
            }
        }
    }

    private void memberFields(List<Case> cases) {
        String path = "/api/v1/lists/" + list + "/members";
        String email = "\"email\":\"" + stranger.email() + "\"";
        for (String role : new String[] {"\"owner\"", "\"admin\"", "\"EDITOR\"", "1", "null", "\"\"", "[\"viewer\"]"}) {
            field(cases, "add member", owner.client(), "POST", path, "{" + email + ",\"role\":" + role + "}", "role");
        }
        field(cases, "add member", owner.client(), "POST", path, "{" + email + "}", "role");
        field(cases, "add member", owner.client(), "POST", path, "{\"email\":123,\"role\":\"viewer\"}", "email");
        field(cases, "add member", owner.client(), "POST", path, "{\"role\":\"viewer\"}", "email");
        field(cases, "add member", owner.client(), "POST", path,
                "{\"email\":\"nobody-" + UUID.randomUUID() + "@example.test\",\"role\":\"viewer\"}", "email");
        cases.add(new Case("add member: the owner itself", owner.client(), "POST", path,
                Map.of("email", owner.email(), "role", "editor"), 409));
    }

    private void taskFields(List<Case> cases) {
        String create = "/api/v1/lists/" + list + "/tasks";
        String change = create + "/" + task;
        Map<String, String> invalid = new LinkedHashMap<>();
        invalid.put("\"title\":123", "title");
        invalid.put("\"title\":\"\"", "title");
        invalid.put("\"title\":\" \\t\\n\\u00a0\\u2003 \"", "title");
        invalid.put("\"title\":\"" + "t".repeat(501) + "\"", "title");
        invalid.put("\"title\":\"  " + "😀".repeat(501) + "  \"", "title");
        invalid.put("\"title\":null", "title");
        invalid.put("\"title\":\"a\\u0000b\"", "title");
        invalid.put("\"title\":\"\\ud800\"", "title");
        invalid.put("\"title\":\"x\\udfff\\ud800x\"", "title");
        invalid.put("\"title\":[\"x\"]", "title");
        invalid.put("\"notes\":\"" + "n".repeat(10_001) + "\"", "notes");
        invalid.put("\"notes\":5", "notes");
        invalid.put("\"notes\":\"\\ud83d\"", "notes");
        invalid.put("\"due\":20240101", "due");
        invalid.put("\"due\":\"2023-02-30\"", "due");
        invalid.put("\"due\":\"2023-02-29\"", "due");
        invalid.put("\"due\":\"2024-13-01\"", "due");
        invalid.put("\"due\":\"2024-1-1\"", "due");
        invalid.put("\"due\":\"tomorrow\"", "due");
        invalid.put("\"due\":\"2024-01-01T00:00:00Z\"", "due");
        invalid.put("\"due\":\"\"", "due");
        invalid.put("\"due\":\"+12024-01-01\"", "due");
        invalid.put("\"due\":\"２０２４-０１-０１\"", "due");
        invalid.put("\"due\":true", "due");
        invalid.put("\"priority\":1", "priority");
        invalid.put("\"priority\":\"urgent\"", "priority");
        invalid.put("\"priority\":\"HIGH\"", "priority");
        invalid.put("\"priority\":null", "priority");
        invalid.put("\"position\":\"1\"", "position");
        invalid.put("\"position\":true", "position");
        invalid.put("\"position\":null", "position");
        invalid.put("\"position\":1e16", "position");
        invalid.put("\"position\":-99999999999999999999", "position");
        invalid.put("\"position\":1e400", "position");
        invalid.put("\"completed\":\"yes\"", "completed");
        invalid.put("\"completed\":1", "completed");
        invalid.put("\"completed\":null", "completed");
        invalid.forEach((json, field) -> {
            // On create the title is required, so a valid one goes along with other invalid fields.
            String createBody = json.startsWith("\"title\"") ? "{" + json + "}" : "{\"title\":\"ok\"," + json + "}";
            field(cases, "create task", owner.client(), "POST", create, createBody, field);
            field(cases, "change task", owner.client(), "PATCH", change, "{" + json + "}", field);
        });
        field(cases, "create task", owner.client(), "POST", create, "{}", "title");
        field(cases, "create task", owner.client(), "POST", create, "{\"notes\":\"no title\"}", "title");
        field(cases, "change task", owner.client(), "PATCH", change, "{\"listId\":123}", "listId");
        field(cases, "change task", owner.client(), "PATCH", change, "{\"listId\":null}", "listId");
        field(cases, "change task", owner.client(), "PATCH", change, "{\"listId\":\"" + "a".repeat(101) + "\"}", "listId");
        cases.add(new Case("change task: move to a malformed list id", owner.client(), "PATCH", change,
                Map.of("listId", "not-a-list"), 404));
        cases.add(new Case("change task: move to a stranger's list", owner.client(), "PATCH", change,
                Map.of("listId", strangerList), 404));
        cases.add(new Case("change task: move to a list the owner only views", owner.client(), "PATCH", change,
                Map.of("listId", strangerSharedAsViewer), 403));
        cases.add(new Case("change task: several invalid fields", owner.client(), "PATCH", change,
                "{\"title\":\"\",\"due\":\"2024-02-30\",\"priority\":\"x\"}", 400).field("due"));

        String completeAll = create + "/complete-all";
        for (String body : new String[] {"{}", "{\"completed\":\"yes\"}", "{\"completed\":null}", "{\"completed\":1}",
                "{\"completed\":[true]}"}) {
            field(cases, "complete all", owner.client(), "POST", completeAll, body, "completed");
        }
    }

    private void queryParameters(List<Case> cases) {
        String garbage64 = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        String wrongShape = Base64.getUrlEncoder().withoutPadding().encodeToString("[\"x\",\"1\",2]".getBytes(StandardCharsets.UTF_8));
        String notJson = Base64.getUrlEncoder().withoutPadding().encodeToString("[[[[".getBytes(StandardCharsets.UTF_8));
        for (String base : new String[] {"/api/v1/lists/" + list + "/tasks?", "/api/v1/tasks?"}) {
            for (String limit : new String[] {"-1", "0", "201", "99999999999", "abc", "1.5", "%205", "0x10", "1e2"}) {
                query(cases, base + "limit=" + limit, "limit");
            }
            for (String cursor : new String[] {"garbage!!", "%E2%98%83", "abc", garbage64, wrongShape, notJson,
                    "x".repeat(300), "===="}) {
                query(cases, base + "cursor=" + cursor, "cursor");
            }
            query(cases, base + "q=" + "q".repeat(201), "q");
        }
        String tasks = "/api/v1/lists/" + list + "/tasks?";
        for (String status : new String[] {"bogus", "ALL", "done", "%00"}) {
            query(cases, tasks + "status=" + status, "status");
        }
        for (String view : new String[] {"bogus", "TODAY", "month", "today%20"}) {
            query(cases, "/api/v1/tasks?view=" + view, "view");
        }
        for (String tz : new String[] {"Mars/Phobos", "+25:00", "UTC%2B99", "..%2F..%2Fetc"}) {
            query(cases, "/api/v1/tasks?tz=" + tz, "tz");
        }
        for (String status : new String[] {"", "all", "bogus", "active"}) {
            cases.add(new Case("clear completed with status=" + status, owner.client(), "DELETE",
                    "/api/v1/lists/" + list + "/tasks" + (status.isEmpty() ? "" : "?status=" + status), null, 400)
                    .field("status"));
        }
    }

    private void malformedIds(List<Case> cases) {
        List<String> ids = List.of("xyz", "0123456789ABCDEF01234567", MISSING_ID, MISSING_ID + "0",
                "%E6%97%A5%E6%9C%AC", "%20", "%22%3E%3Cscript%3E", "99999999999999999999");
        for (String id : ids) {
            notFound(cases, "GET", "/api/v1/lists/" + id, null);
            notFound(cases, "PATCH", "/api/v1/lists/" + id, "{\"name\":\"x\"}");
            notFound(cases, "DELETE", "/api/v1/lists/" + id, null);
            notFound(cases, "GET", "/api/v1/lists/" + id + "/members", null);
            notFound(cases, "POST", "/api/v1/lists/" + id + "/members", Map.of("email", stranger.email(), "role", "viewer"));
            notFound(cases, "DELETE", "/api/v1/lists/" + list + "/members/" + id, null);
            notFound(cases, "GET", "/api/v1/lists/" + id + "/tasks", null);
            notFound(cases, "POST", "/api/v1/lists/" + id + "/tasks", "{\"title\":\"x\"}");
            notFound(cases, "POST", "/api/v1/lists/" + id + "/tasks/complete-all", "{\"completed\":true}");
            notFound(cases, "DELETE", "/api/v1/lists/" + id + "/tasks?status=completed", null);
            notFound(cases, "GET", "/api/v1/lists/" + list + "/tasks/" + id, null);
            notFound(cases, "PATCH", "/api/v1/lists/" + list + "/tasks/" + id, "{\"title\":\"x\"}");
            notFound(cases, "DELETE", "/api/v1/lists/" + list + "/tasks/" + id, null);
            notFound(cases, "DELETE", "/api/v1/me/tokens/" + id, null);
        }
        // Real ids in the wrong place: another list's task, another user's list.
        notFound(cases, "GET", "/api/v1/lists/" + list + "/tasks/" + otherTask, null);
        notFound(cases, "PATCH", "/api/v1/lists/" + list + "/tasks/" + otherTask, "{\"title\":\"x\"}");
        notFound(cases, "DELETE", "/api/v1/lists/" + list + "/tasks/" + otherTask, null);
        notFound(cases, "GET", "/api/v1/lists/" + strangerList, null);
        notFound(cases, "PATCH", "/api/v1/lists/" + strangerList, "{\"name\":\"x\"}");
        notFound(cases, "DELETE", "/api/v1/lists/" + strangerList, null);
        notFound(cases, "POST", "/api/v1/lists/" + strangerList + "/tasks", "{\"title\":\"x\"}");
        notFound(cases, "DELETE", "/api/v1/lists/" + list + "/members/" + stranger.id(), null);
    }

    private void accessAndPreconditions(List<Case> cases) {
        String shared = "/api/v1/lists/" + list;
        cases.add(new Case("viewer renames the list", viewer.client(), "PATCH", shared, Map.of("name", "x"), 403));
        cases.add(new Case("viewer deletes the list", viewer.client(), "DELETE", shared, null, 403));
        cases.add(new Case("viewer shares the list", viewer.client(), "POST", shared + "/members",
                Map.of("email", stranger.email(), "role", "editor"), 403));
        cases.add(new Case("viewer removes the owner", viewer.client(), "DELETE", shared + "/members/" + owner.id(), null, 403));
        cases.add(new Case("owner leaves its own list", owner.client(), "DELETE", shared + "/members/" + owner.id(), null, 409));
        cases.add(new Case("viewer creates a task", viewer.client(), "POST", shared + "/tasks", Map.of("title", "x"), 403));
        cases.add(new Case("viewer changes a task", viewer.client(), "PATCH", shared + "/tasks/" + task,
                Map.of("completed", true), 403));
        cases.add(new Case("viewer deletes a task", viewer.client(), "DELETE", shared + "/tasks/" + task, null, 403));
        cases.add(new Case("viewer completes all", viewer.client(), "POST", shared + "/tasks/complete-all",
                Map.of("completed", true), 403));
        cases.add(new Case("viewer clears completed", viewer.client(), "DELETE", shared + "/tasks?status=completed", null, 403));
        cases.add(new Case("stranger reads the list", stranger.client(), "GET", shared, null, 404));
        cases.add(new Case("stranger reads a task", stranger.client(), "GET", shared + "/tasks/" + task, null, 404));
        cases.add(new Case("stranger changes a task", stranger.client(), "PATCH", shared + "/tasks/" + task,
                Map.of("title", "x"), 404));
        cases.add(new Case("stranger joins the list", stranger.client(), "DELETE", shared + "/members/" + viewer.id(), null, 404));
        cases.add(new Case("anonymous lists", anonymous(), "GET", "/api/v1/lists", null, 401));
        cases.add(new Case("anonymous creates a task", anonymous(), "POST", shared + "/tasks", Map.of("title", "x"), 401));
        cases.add(new Case("bad bearer token", ApiClient.at(port).withBearer("tm_nope"), "GET", "/api/v1/lists", null, 401));
        cases.add(new Case("basic auth", anonymous(), "GET", "/api/v1/lists", null, 401)
                .header("Authorization", "Basic Zm9vOmJhcg=="));
        cases.add(new Case("cookie without CSRF header", owner.client(), "POST", "/api/v1/lists", Map.of("name", "x"), 403)
                .header("X-XSRF-TOKEN", "forged"));
        for (String ifMatch : new String[] {"\"999\"", "\"0\"", "garbage", "W/\"1\"", "\"-1\"", "\"1\"x"}) {
            cases.add(new Case("rename list with If-Match " + ifMatch, owner.client(), "PATCH", shared,
                    Map.of("name", "x"), 412).header("If-Match", ifMatch));
            cases.add(new Case("change task with If-Match " + ifMatch, owner.client(), "PATCH", shared + "/tasks/" + task,
                    Map.of("title", "x"), 412).header("If-Match", ifMatch));
            cases.add(new Case("delete task with If-Match " + ifMatch, owner.client(), "DELETE", shared + "/tasks/" + task,
                    null, 412).header("If-Match", ifMatch));
            cases.add(new Case("delete list with If-Match " + ifMatch, owner.client(), "DELETE", shared, null, 412)
                    .header("If-Match", ifMatch));
        }
        for (String key : new String[] {"has space", "", "k".repeat(256), "tab\tkey"}) {
            cases.add(new Case("Idempotency-Key '" + abbreviate(key) + "'", owner.client(), "POST", "/api/v1/lists",
                    Map.of("name", "x"), 400).header("Idempotency-Key", key).field("Idempotency-Key"));
        }
        cases.add(new Case("PUT on a list", owner.client(), "PUT", shared, Map.of("name", "x"), 405));
        cases.add(new Case("POST on a task", owner.client(), "POST", shared + "/tasks/" + task, Map.of("title", "x"), 405));
        cases.add(new Case("DELETE all lists", owner.client(), "DELETE", "/api/v1/lists", null, 405));
        cases.add(new Case("unknown API path", owner.client(), "GET", "/api/v1/nothing-here", null, 404));
        for (String id : new String[] {"%00", "%2F", "a%00b", "%2e%2e%2F%2e%2e", "a;b", "%5C", "%25"}) {
            cases.add(new Case("id rejected by the server or firewall: " + id, owner.client(), "GET",
                    "/api/v1/lists/" + id, null, 400));
            cases.add(new Case("id rejected by the server or firewall on a write: " + id, owner.client(), "DELETE",
                    "/api/v1/lists/" + list + "/tasks/" + id, null, 400));
        }
        cases.add(new Case("query parameter without a name", owner.client(), "GET", shared + "/tasks?=x", null, 400));
        cases.add(new Case("query parameter without a name, no CSRF header", owner.client(), "POST",
                "/api/v1/lists?=x", Map.of("name", "x"), 400).header("X-XSRF-TOKEN", null));
        cases.add(new Case("multipart without boundary on a read", owner.client(), "GET", "/api/v1/lists", null, 400)
                .header("Content-Type", "multipart/form-data"));
        cases.add(new Case("multipart without boundary on a write", owner.client(), "POST", "/api/v1/lists",
                "{\"name\":\"x\"}", 400).header("Content-Type", "multipart/form-data"));
        cases.add(new Case("multipart with a broken body", owner.client(), "POST", shared + "/tasks",
                "--b\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nx", 415)
                .header("Content-Type", "multipart/form-data; boundary=b"));
    }

    // ---------------------------------------------------------------- valid edge input succeeds

    @Test
    void titleOf500CharactersAfterTrimmingAndNotesOf10000AreAccepted() {
        User owner = users.signUp(); // not the fixture owner, whose data the bad-input cases compare
        String fresh = owner.createList("Boundaries");
        String title = "t".repeat(499) + "😀";
        ApiResponse created = owner.client().post("/api/v1/lists/" + fresh + "/tasks",
                Map.of("title", "  \t" + title + " \n", "notes", "n".repeat(10_000), "due", "2024-02-29",
                        "priority", "high", "position", -1e15));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.get("title")).isEqualTo(title);
        assertThat(created.get("notes")).hasSize(10_000);
        assertThat(created.get("due")).isEqualTo("2024-02-29");
        assertThat(created.json().get("position").doubleValue()).isEqualTo(-1e15);

        ApiResponse read = owner.client().get("/api/v1/lists/" + fresh + "/tasks/" + created.get("id"));
        assertThat(read.json()).isEqualTo(created.json());

        ApiResponse emoji = owner.client().post("/api/v1/lists/" + fresh + "/tasks", Map.of("title", "😀".repeat(500)));
        assertThat(emoji.status()).as("500 code points are 500 characters").isEqualTo(201);

        String path = "/api/v1/lists/" + fresh + "/tasks/" + created.get("id");
        ApiResponse cleared = owner.client().patch(path, "{\"due\":null,\"notes\":null}");
        assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
        assertThat(cleared.get("due")).isNull();
        assertThat(cleared.get("notes")).isEmpty();

        ApiResponse page = owner.client().get("/api/v1/lists/" + fresh + "/tasks?limit=200");
        assertThat(page.json().get("items")).hasSize(2);
        for (String limit : new String[] {"1", "200"}) {
            assertThat(owner.client().get("/api/v1/tasks?view=all&limit=" + limit).status()).isEqualTo(200);
        }
    }

    @Test
    void unicodeAndEmojiRoundTripExactly() {
        User owner = users.signUp(); // not the fixture owner, whose data the bad-input cases compare
        String name = UNICODE + " list";
        ApiResponse createdList = owner.client().post("/api/v1/lists", Map.of("name", name));
        assertThat(createdList.status()).as(createdList.toString()).isEqualTo(201);
        assertThat(createdList.get("name")).isEqualTo(name);
        String id = createdList.get("id");
        String notes = "Zeile 1\nZeile 2\t" + UNICODE + " \u200d\u2028 é (e + combining acute: e\u0301)";

        ApiResponse created = owner.client().post("/api/v1/lists/" + id + "/tasks",
                Map.of("title", UNICODE, "notes", notes));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.get("title")).isEqualTo(UNICODE);
        assertThat(created.get("notes")).isEqualTo(notes);

        ApiResponse read = owner.client().get("/api/v1/lists/" + id + "/tasks/" + created.get("id"));
        assertThat(read.get("title")).isEqualTo(UNICODE);
        assertThat(read.get("notes")).isEqualTo(notes);
        assertThat(owner.client().get("/api/v1/lists/" + id).get("name")).isEqualTo(name);
        assertThat(owner.client().get("/api/v1/lists").json().findValuesAsString("name")).contains(name);

        JsonNode page = owner.client().get("/api/v1/lists/" + id + "/tasks").json().get("items");
        assertThat(page).hasSize(1);
        assertThat(page.get(0).get("title").asString()).isEqualTo(UNICODE);
        assertThat(page.get(0).get("notes").asString()).isEqualTo(notes);

        ApiResponse search = owner.client().get("/api/v1/lists/" + id + "/tasks?q=%F0%9F%91%A9%E2%80%8D%F0%9F%91%A9");
        assertThat(search.json().get("items")).hasSize(1);
        ApiResponse searchView = owner.client().get("/api/v1/tasks?view=all&q=" + java.net.URLEncoder.encode("日本語 𝄞",
                StandardCharsets.UTF_8));
        assertThat(searchView.json().get("items").findValuesAsString("title")).contains(UNICODE);

        // Raw UTF-8 bytes (not \\u escapes) decode to the same text, and a renamed task keeps them.
        ApiResponse patched = owner.client().patch("/api/v1/lists/" + id + "/tasks/" + created.get("id"),
                ("{\"title\":\"" + UNICODE + " ✓\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(patched.get("title")).isEqualTo(UNICODE + " ✓");
        ApiResponse escaped = owner.client().post("/api/v1/lists/" + id + "/tasks",
                "{\"title\":\"\\uD834\\uDD1E \\u65E5\"}");
        assertThat(escaped.get("title")).isEqualTo("𝄞 日");
    }

    @Test
    void createdListsTasksAndTokensReadBackExactlyAsAnswered() {
        User owner = users.signUp();
        ApiResponse list = owner.client().post("/api/v1/lists", Map.of("name", "Read back"));
        assertThat(owner.client().get("/api/v1/lists/" + list.get("id")).json()).isEqualTo(list.json());
        ApiResponse task = owner.client().post("/api/v1/lists/" + list.get("id") + "/tasks", Map.of("title", "t"));
        assertThat(owner.client().get("/api/v1/lists/" + list.get("id") + "/tasks/" + task.get("id")).json())
                .isEqualTo(task.json());
        ApiResponse token = ApiClient.at(port).post("/api/v1/auth/tokens",
                Map.of("email", owner.email(), "password", TestUsers.PASSWORD, "name", "read back"));
        assertThat(token.status()).as(token.toString()).isEqualTo(201);
        JsonNode listed = owner.client().get("/api/v1/me/tokens").json().get(0);
        assertThat(listed.get("id").asString()).isEqualTo(token.get("id"));
        assertThat(listed.get("createdAt")).isEqualTo(token.json().get("createdAt"));
        assertThat(listed.has("token")).as("the secret is never listed").isFalse();
    }

    @Test
    void reusedIdempotencyKeyWithAnotherBodyIs422AndCreatesNothing() {
        String key = "bad-input-" + UUID.randomUUID();
        Map<String, String> headers = Map.of("Idempotency-Key", key);
        ApiResponse first = owner.client().post("/api/v1/lists", Map.of("name", "Once"), headers);
        assertThat(first.status()).isEqualTo(201);
        Map<String, Object> before = snapshot();
        ApiResponse other = owner.client().post("/api/v1/lists", Map.of("name", "Other"), headers);
        assertProblem(other, 422);
        ApiResponse replay = owner.client().post("/api/v1/lists", Map.of("name", "Once"), headers);
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.get("id")).isEqualTo(first.get("id"));
        assertThat(snapshot()).isEqualTo(before);
        lastSnapshot = null;
    }

    @Test
    void errorsAreProblemsWhateverTheAcceptHeader() {
        for (String accept : new String[] {"text/html", "application/xml", "*/*", "text/plain;q=0.5"}) {
            ApiResponse response = owner.client().send("POST", "/api/v1/lists", "{\"name\":123}", Map.of("Accept", accept));
            assertFieldError(response, 400, "name");
            ApiResponse missing = owner.client().send("GET", "/api/v1/lists/" + MISSING_ID, null, Map.of("Accept", accept));
            assertProblem(missing, 404);
        }
    }

    // ---------------------------------------------------------------- helpers

    private ApiClient anonymous() {
        return ApiClient.at(port);
    }

    private void field(List<Case> cases, String endpoint, ApiClient client, String method, String path, String body,
            String field) {
        cases.add(new Case(endpoint + ": " + abbreviate(body), client, method, path, body, 400).field(field));
    }

    private void query(List<Case> cases, String path, String field) {
        cases.add(new Case("GET " + abbreviate(path.substring(path.indexOf("?"))), owner.client(), "GET", path, null, 400)
                .field(field));
    }

    private void notFound(List<Case> cases, String method, String path, Object body) {
        cases.add(new Case(method + " " + abbreviate(path), owner.client(), method, path, body, 404));
    }

    private static String abbreviate(String text) {
        String printable = text.replace("\u0000", "\\0").replace("\t", "\\t").replace("\n", "\\n");
        return printable.length() <= 80 ? printable : printable.substring(0, 60) + "…(" + printable.length() + " chars)";
    }

    /** One request and the answer it must get. */
    private static final class Case {
        final String name;
        final ApiClient client;
        final String method;
        final String path;
        final Object body;
        final int status;
        final Map<String, String> headers = new HashMap<>();
        String field;

        Case(String name, ApiClient client, String method, String path, Object body, int status) {
            this.name = name;
            this.client = client;
            this.method = method;
            this.path = path;
            this.body = body;
            this.status = status;
        }

        Case header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Case field(String field) {
            this.field = field;
            return this;
        }
    }
}
