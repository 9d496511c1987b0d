package io.taskmesh.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.taskmesh.support.ApiResponse;
import io.taskmesh.support.ApiTest;
import io.taskmesh.support.TestUsers;
import io.taskmesh.support.TestUsers.User;

/**
 * The cross-list views. Tasks are dated relative to "today" in the zone the request names; should
 * the date change while a test runs, the test builds its data again for the new day.
 */
@ApiTest
class TaskViewApiTest {

    static final ZoneId UTC = ZoneId.of("UTC");

    @LocalServerPort
    int port;

    TestUsers users;

    @BeforeEach
    void setUp() {
        users = new TestUsers(port);
    }

    /** Runs {@code scenario} for today's date in {@code zone}, again if the date changed meanwhile. */
    private static void onOneDay(ZoneId zone, Function<LocalDate, Runnable> scenario) {
        for (int attempt = 0; attempt < 3; attempt++) {
            LocalDate today = LocalDate.now(zone);
            Runnable checks = scenario.apply(today);
            if (today.equals(LocalDate.now(zone))) {
                checks.run();
                return;
            }
        }
        throw new AssertionError("the date kept changing");
    }

    private static List<String> titles(User user, String query) {
        ApiResponse page = user.client().get("/api/v1/tasks?" + query);
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        List<String> titles = new ArrayList<>();
        page.json().get("items").forEach(t -> titles.add(t.get("title").asString()));
        return titles;
    }

    private static void task(User user, String list, String title, LocalDate due) {
        Map<String, Object> body = new HashMap<>();
        body.put("title", title);
        if (due != null) {
            body.put("due", due.toString());
        }
        user.postTask(list, body);
    }

    @Test
    void eachViewHoldsTheRightOpenTasksOrderedByDueDate() {
        onOneDay(UTC, today -> {
            User alice = users.signUp();
            String list = alice.createList("Home");
            task(alice, list, "undated", null);
            task(alice, list, "in 7 days", today.plusDays(7));
            task(alice, list, "in 6 days", today.plusDays(6));
            task(alice, list, "today", today);
            task(alice, list, "tomorrow", today.plusDays(1));
            task(alice, list, "yesterday", today.minusDays(1));
            task(alice, list, "last year", today.minusYears(1));
            return () -> {
                assertThat(titles(alice, "view=today&tz=UTC")).containsExactly("last year", "yesterday", "today");
                assertThat(titles(alice, "view=overdue&tz=UTC")).containsExactly("last year", "yesterday");
                assertThat(titles(alice, "view=week&tz=UTC")).containsExactly("today", "tomorrow", "in 6 days");
                assertThat(titles(alice, "view=all&tz=UTC")).containsExactly("last year", "yesterday", "today",
                        "tomorrow", "in 6 days", "in 7 days", "undated");
                assertThat(titles(alice, "tz=UTC")).as("all is the default view")
                        .containsExactly("last year", "yesterday", "today", "tomorrow", "in 6 days", "in 7 days",
                                "undated");
            };
        });
    }

    @Test
    void viewsUseUtcWhenNoZoneIsGiven() {
        onOneDay(UTC, today -> {
            User alice = users.signUp();
            String list = alice.createList("Home");
            task(alice, list, "today", today);
            task(alice, list, "tomorrow", today.plusDays(1));
            return () -> assertThat(titles(alice, "view=today")).containsExactly("today");
        });
    }

    @Test
    void completedTasksAreInNoView() {
        onOneDay(UTC, today -> {
            User alice = users.signUp();
            String list = alice.createList("Home");
            task(alice, list, "open overdue", today.minusDays(2));
            task(alice, list, "done overdue", today.minusDays(2));
            task(alice, list, "done today", today);
            task(alice, list, "done undated", null);
            ApiResponse page = alice.client().get("/api/v1/lists/" + list + "/tasks");
            page.json().get("items").forEach(t -> {
                if (t.get("title").asString().startsWith("done")) {
                    assertThat(alice.client().patch("/api/v1/lists/" + list + "/tasks/" + t.get("id").asString(),
                            Map.of("completed", true)).status()).isEqualTo(200);
                }
            });
            return () -> {
                for (String view : List.of("today", "week", "overdue", "all")) {
                    List<String> titles = titles(alice, "view=" + view + "&tz=UTC");
                    assertThat(titles).as(view).noneMatch(t -> t.startsWith("done"));
                }
                assertThat(titles(alice, "view=all&tz=UTC")).containsExactly("open overdue");
            };
        });
    }

    @Test
    void tasksOnTheSameDayFollowListOrderAndUndatedComeLast() {
        onOneDay(UTC, today -> {
            User alice = users.signUp();
            String list = alice.createList("Home");
            task(alice, list, "u1", null);
            task(alice, list, "d1", today);
            task(alice, list, "u2", null);
            task(alice, list, "d2", today);
            Map<String, Object> front = new HashMap<>();
            front.put("title", "d0");
            front.put("due", today.toString());
            front.put("position", -5);
            alice.postTask(list, front);
            return () -> {
                assertThat(titles(alice, "view=all&tz=UTC")).containsExactly("d0", "d1", "d2", "u1", "u2");
                assertThat(titles(alice, "view=today&tz=UTC")).containsExactly("d0", "d1", "d2");
            };
        });
    }

    @Test
    void viewsSpanEveryListTheCallerCanSeeAndNoOthers() {
        onOneDay(UTC, today -> {
            User alice = users.signUp();
            User bob = users.signUp();
            User carol = users.signUp();
            String own = alice.createList("Alice's");
            String sharedWithAlice = bob.createList("Bob's shared");
            bob.share(sharedWithAlice, alice, "viewer");
            String bobsPrivate = bob.createList("Bob's private");
            String carols = carol.createList("Carol's");
            task(alice, own, "alice today", today);
            task(bob, sharedWithAlice, "bob shared yesterday", today.minusDays(1));
            task(bob, sharedWithAlice, "bob shared undated", null);
            task(bob, bobsPrivate, "bob private today", today);
            task(carol, carols, "carol today", today);
            return () -> {
                assertThat(titles(alice, "view=today&tz=UTC"))
                        .containsExactly("bob shared yesterday", "alice today");
                assertThat(titles(alice, "view=all&tz=UTC"))
                        .containsExactly("bob shared yesterday", "alice today", "bob shared undated");
                assertThat(titles(bob, "view=today&tz=UTC"))
                        .containsExactly("bob shared yesterday", "bob private today");
                assertThat(titles(carol, "view=all&tz=UTC")).containsExactly("carol today");
                ApiResponse page = alice.client().get("/api/v1/tasks?view=all&tz=UTC");
                page.json().get("items").forEach(t -> assertThat(t.get("listId").asString()).isIn(own,
                        sharedWithAlice));
            };
        });
    }

    @Test
    void aUserWithoutListsSeesEmptyViews() {
        User loner = users.signUp();
        ApiResponse page = loner.client().get("/api/v1/tasks?view=all");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.json().get("items").size()).isZero();
        assertThat(page.json().get("nextCursor").isNull()).isTrue();
    }

    @Test
    void theTimeZoneDecidesWhatTodayIs() {
        // Kiritimati (UTC+14) is always one or two calendar days ahead of Pago Pago (UTC-11).
        ZoneId ahead = ZoneId.of("Pacific/Kiritimati");
        ZoneId behind = ZoneId.of("Pacific/Pago_Pago");
        onOneDay(ahead, todayAhead -> {
            LocalDate todayBehind = LocalDate.now(behind);
            User alice = users.signUp();
            String list = alice.createList("Travel");
            task(alice, list, "due today ahead", todayAhead);
            task(alice, list, "due today behind", todayBehind);
            return () -> {
                assertThat(todayBehind).isBefore(todayAhead);
                assertThat(titles(alice, "view=today&tz=Pacific/Kiritimati"))
                        .containsExactly("due today behind", "due today ahead");
                assertThat(titles(alice, "view=overdue&tz=Pacific/Kiritimati")).containsExactly("due today behind");
                assertThat(titles(alice, "view=today&tz=Pacific/Pago_Pago")).containsExactly("due today behind");
                assertThat(titles(alice, "view=overdue&tz=Pacific/Pago_Pago")).isEmpty();
                assertThat(titles(alice, "view=week&tz=Pacific/Pago_Pago"))
                        .containsExactly("due today behind", "due today ahead");
                assertThat(titles(alice, "view=week&tz=Pacific/Kiritimati")).containsExactly("due today ahead");
            };
        });
    }

    @Test
    void viewsFilterByText() {
        onOneDay(UTC, today -> {
            User alice = users.signUp();
            String list = alice.createList("Home");
            task(alice, list, "Pay RENT", today);
            task(alice, list, "pay (phone) bill", today.plusDays(2));
            task(alice, list, "walk dog", today);
            return () -> {
                assertThat(titles(alice, "view=week&tz=UTC&q=pay")).containsExactly("Pay RENT", "pay (phone) bill");
                assertThat(titles(alice, "view=all&tz=UTC&q=%28phone%29")).containsExactly("pay (phone) bill");
            };
        });
    }

    @Test
    void viewItemsAreFullTasks() {
        User alice = users.signUp();
        String list = alice.createList("Home");
        alice.createTask(list, "plain");
        ApiResponse page = alice.client().get("/api/v1/tasks?view=all");
        TaskApiTest.assertTaskShape(page.json().get("items").get(0));
        assertThat(page.json().get("items").get(0).get("listId").asString()).isEqualTo(list);
    }
}
