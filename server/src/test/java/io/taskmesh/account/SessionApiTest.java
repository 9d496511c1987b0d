package io.taskmesh.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import io.taskmesh.support.ApiClient;
import io.taskmesh.support.ApiResponse;
import io.taskmesh.support.ApiTest;
import io.taskmesh.support.TestUsers;

/** Cookie sessions: log-in, log-out, fixation, cookie flags, password storage and log-in throttling. */
@ApiTest
class SessionApiTest {

    static final String SESSION = "TASKMESH_SESSION";

    @LocalServerPort
    int port;

    @Autowired
    MongoTemplate mongo;

    TestUsers users;

    @BeforeEach
    void setUp() {
        users = new TestUsers(port);
    }

    @Test
    void logOutEndsTheSessionOnTheServer() {
        TestUsers.User user = users.signUp();
        ApiClient client = user.client();
        String session = client.cookie(SESSION);
        assertThat(client.get("/api/v1/me").status()).isEqualTo(200);

        ApiResponse logout = client.post("/api/v1/auth/logout", null);
        assertThat(logout.status()).as(logout.toString()).isEqualTo(204);

        ApiResponse me = client.get("/api/v1/me");
        assertThat(me.status()).as(me.toString()).isEqualTo(401);
        assertThat(me.isProblem()).isTrue();
        // Replaying the old session id from elsewhere does not work either: the session is gone, not just the cookie.
        ApiResponse replayed = ApiClient.at(port).get("/api/v1/me", Map.of("Cookie", SESSION + "=" + session));
        assertThat(replayed.status()).as(replayed.toString()).isEqualTo(401);
    }

    @Test
    void logInIssuesANewSessionIdAndTheOldOneStopsWorking() {
        TestUsers.User user = users.signUp();
        ApiClient client = user.client();
        String beforeLogin = client.cookie(SESSION);
        assertThat(beforeLogin).isNotBlank();

        ApiResponse login = client.post("/api/v1/auth/login", Map.of("email", user.email(), "password", TestUsers.PASSWORD));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        assertThat(login.get("id")).isEqualTo(user.id());
        String afterLogin = client.cookie(SESSION);
        assertThat(afterLogin).isNotBlank().isNotEqualTo(beforeLogin);
        assertThat(login.setCookie(SESSION)).startsWith(SESSION + "=" + afterLogin);

        assertThat(client.get("/api/v1/me").status()).isEqualTo(200);
        ApiResponse old = ApiClient.at(port).get("/api/v1/me", Map.of("Cookie", SESSION + "=" + beforeLogin));
        assertThat(old.status()).as(old.toString()).isEqualTo(401);
    }

    @Test
    void aSessionIdPlantedBeforeLogInIsNotAdopted() {
        TestUsers.User user = users.signUp();
        // An attacker gets a session id (its own, anonymous after log-out) into the victim's browser.
        ApiClient victim = ApiClient.at(port);
        String planted = "0123456789ABCDEF0123456789ABCDEF";
        ApiResponse login = victim.post("/api/v1/auth/login", Map.of("email", user.email(), "password", TestUsers.PASSWORD),
                Map.of("Cookie", SESSION + "=" + planted));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        assertThat(victim.cookie(SESSION)).isNotBlank().isNotEqualTo(planted);
        ApiResponse attacker = ApiClient.at(port).get("/api/v1/me", Map.of("Cookie", SESSION + "=" + planted));
        assertThat(attacker.status()).as(attacker.toString()).isEqualTo(401);
    }

    @Test
    void sessionCookieIsHttpOnlyAndSameSiteLax() {
        String email = "cookie-" + UUID.randomUUID() + "@example.test";
        ApiResponse signup = ApiClient.at(port).post("/api/v1/auth/signup",
                Map.of("email", email, "password", TestUsers.PASSWORD));
        assertThat(signup.status()).as(signup.toString()).isEqualTo(201);
        assertSessionCookieFlags(signup.setCookie(SESSION));

        ApiResponse login = ApiClient.at(port).post("/api/v1/auth/login", Map.of("email", email, "password", TestUsers.PASSWORD));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        assertSessionCookieFlags(login.setCookie(SESSION));
    }

    @Test
    void behindTlsTheSessionAndXsrfCookiesAreSecure() {
        String email = "tls-" + UUID.randomUUID() + "@example.test";
        // As NGINX terminating TLS forwards it.
        ApiResponse signup = ApiClient.at(port).post("/api/v1/auth/signup",
                Map.of("email", email, "password", TestUsers.PASSWORD), Map.of("X-Forwarded-Proto", "https"));
        assertThat(signup.status()).as(signup.toString()).isEqualTo(201);
        assertSessionCookieFlags(signup.setCookie(SESSION));
        assertThat(signup.setCookie(SESSION).toLowerCase()).contains("; secure");
        assertThat(signup.setCookie("XSRF-TOKEN").toLowerCase()).contains("; secure");

        ApiResponse plain = ApiClient.at(port).post("/api/v1/auth/login", Map.of("email", email, "password", TestUsers.PASSWORD));
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.setCookie(SESSION).toLowerCase()).doesNotContain("; secure");
    }

    private static void assertSessionCookieFlags(String setCookie) {
        assertThat(setCookie).as("Set-Cookie of the session").isNotNull();
        String lower = setCookie.toLowerCase();
        assertThat(lower).contains("; httponly").contains("; samesite=lax").contains("; path=/");
    }

    @Test
    void thePasswordIsStoredOnlyAsAnArgon2idHash() {
        String password = "Tr0ub4dor&3-" + UUID.randomUUID();
        String email = "hash-" + UUID.randomUUID() + "@example.test";
        ApiResponse signup = ApiClient.at(port).post("/api/v1/auth/signup", Map.of("email", email, "password", password));
        assertThat(signup.status()).as(signup.toString()).isEqualTo(201);
        assertThat(signup.text()).doesNotContain(password).doesNotContainIgnoringCase("passwordHash");

        Document stored = mongo.findOne(Query.query(Criteria.where("email").is(email)), Document.class, "users");
        assertThat(stored).isNotNull();
        String hash = stored.getString("passwordHash");
        assertThat(hash).startsWith("$argon2id$").doesNotContain(password);
        assertThat(stored.toJson()).doesNotContain(password);

        // A second account with the same password gets another hash (salted).
        String other = "hash-" + UUID.randomUUID() + "@example.test";
        assertThat(ApiClient.at(port).post("/api/v1/auth/signup", Map.of("email", other, "password", password)).status())
                .isEqualTo(201);
        Document second = mongo.findOne(Query.query(Criteria.where("email").is(other)), Document.class, "users");
        assertThat(second.getString("passwordHash")).startsWith("$argon2id$").isNotEqualTo(hash);

        ApiResponse me = ApiClient.at(port).post("/api/v1/auth/login", Map.of("email", email, "password", password));
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.text()).doesNotContain(hash).doesNotContain(password);
    }

    @Test
    void wrongPasswordAndUnknownEmailGetTheSameAnswer() {
        TestUsers.User user = users.signUp();
        ApiResponse wrongPassword = ApiClient.at(port).post("/api/v1/auth/login",
                Map.of("email", user.email(), "password", "not the password"));
        ApiResponse unknownEmail = ApiClient.at(port).post("/api/v1/auth/login",
                Map.of("email", "nobody-" + UUID.randomUUID() + "@example.test", "password", "not the password"));

        assertThat(wrongPassword.status()).as(wrongPassword.toString()).isEqualTo(401);
        assertThat(unknownEmail.status()).as(unknownEmail.toString()).isEqualTo(401);
        assertThat(wrongPassword.isProblem()).isTrue();
        assertThat(unknownEmail.contentType()).isEqualTo(wrongPassword.contentType());
        assertThat(unknownEmail.text()).isEqualTo(wrongPassword.text());
        assertThat(wrongPassword.setCookie(SESSION)).isNull();
        assertThat(unknownEmail.setCookie(SESSION)).isNull();
    }

    @Test
    void afterFiveFailedLogInsTheAccountIsRefusedWith429EvenWithTheRightPassword() {
        TestUsers.User user = users.signUp();
        for (int i = 1; i <= 5; i++) {
            ApiResponse failed = ApiClient.at(port).post("/api/v1/auth/login",
                    Map.of("email", user.email(), "password", "wrong password " + i));
            assertThat(failed.status()).as("failure " + i + ": " + failed).isEqualTo(401);
        }
        // The e-mail is compared case-insensitively, so a variant spelling is the same account.
        ApiResponse refused = ApiClient.at(port).post("/api/v1/auth/login",
                Map.of("email", user.email().toUpperCase(), "password", TestUsers.PASSWORD));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
        assertThat(refused.isProblem()).isTrue();
        assertThat(Long.parseLong(refused.header("Retry-After"))).isGreaterThanOrEqualTo(1);
        assertThat(refused.setCookie(SESSION)).isNull();

        // Token issue checks the password too, and is held back the same way.
        ApiResponse token = ApiClient.at(port).post("/api/v1/auth/tokens",
                Map.of("email", user.email(), "password", TestUsers.PASSWORD, "name", "x"));
        assertThat(token.status()).as(token.toString()).isEqualTo(429);
        assertThat(Long.parseLong(token.header("Retry-After"))).isGreaterThanOrEqualTo(1);

        // Another account is not affected, and a session the user already has keeps working.
        TestUsers.User other = users.signUp();
        ApiResponse otherLogin = ApiClient.at(port).post("/api/v1/auth/login",
                Map.of("email", other.email(), "password", TestUsers.PASSWORD));
        assertThat(otherLogin.status()).as(otherLogin.toString()).isEqualTo(200);
        assertThat(user.client().get("/api/v1/me").status()).isEqualTo(200);
    }

    @Test
    void concurrentFailedLogInsCannotOutrunTheThrottle() throws Exception {
        TestUsers.User user = users.signUp();
        int attempts = 16;
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                String guess = "guess number " + i;
                answers.add(pool.submit(() -> {
                    go.await();
                    return ApiClient.at(port).post("/api/v1/auth/login",
                            Map.of("email", user.email(), "password", guess)).status();
                }));
            }
            go.countDown();
            Map<Integer, Integer> byStatus = new TreeMap<>();
            for (Future<Integer> answer : answers) {
                byStatus.merge(answer.get(60, TimeUnit.SECONDS), 1, Integer::sum);
            }
            // Only as many passwords are checked as the limit allows; the rest are refused unchecked.
            assertThat(byStatus).as("statuses of %d simultaneous wrong log-ins", attempts)
                    .isEqualTo(Map.of(401, 5, 429, attempts - 5));
        } finally {
            pool.shutdownNow();
        }
    }
}
