package io.taskmesh.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.taskmesh.support.ApiClient;
import io.taskmesh.support.ApiResponse;
import io.taskmesh.support.ApiTest;

/** Health probes, metrics, API documentation and security headers, as an operator sees them. */
@ApiTest
class OperationsApiTest {

    @LocalServerPort
    int port;

    @Test
    void livenessAndReadinessAreUp() {
        ApiClient client = ApiClient.at(port);
        assertThat(client.get("/actuator/health/liveness").get("status")).isEqualTo("UP");
        ApiResponse readiness = client.get("/actuator/health/readiness");
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.get("status")).isEqualTo("UP");
    }

    @Test
    void overallHealthIsUp() {
        ApiResponse health = ApiClient.at(port).get("/actuator/health");
        assertThat(health.status()).as(health.toString()).isEqualTo(200);
        assertThat(health.get("status")).isEqualTo("UP");
    }

    @Test
    void prometheusMetricsIncludeHttpRequestsButNotSpringSecuritysFilterObservations() {
        ApiClient client = ApiClient.at(port);
        client.get("/api/v1/me");
        ApiResponse metrics = client.get("/actuator/prometheus", Map.of("Accept", "text/plain"));
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.text()).contains("http_server_requests_seconds_count")
                .as("the security filters are not observed one by one (SecurityConfiguration)")
                .doesNotContain("spring_security_filterchains", "spring_security_authorizations");
    }

    @Test
    void openApiDocumentDescribesTheApi() {
        ApiResponse document = ApiClient.at(port).get("/api/openapi.json");
        assertThat(document.status()).isEqualTo(200);
        assertThat(document.json().get("paths").propertyNames())
                .contains("/api/v1/auth/signup", "/api/v1/lists", "/api/v1/lists/{listId}/tasks",
                        "/api/v1/lists/{listId}/tasks/{taskId}", "/api/v1/tasks", "/api/v1/lists/{listId}/members");
    }

    @Test
    void swaggerUiIsServedUnderApiDocs() {
        ApiClient client = ApiClient.at(port);
        ApiResponse redirect = client.get("/api/docs");
        assertThat(redirect.status()).isIn(200, 302);
        ApiResponse page = client.get("/api/swagger-ui/index.html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("swagger-ui");
    }

    @Test
    void responsesCarrySecurityHeaders() {
        ApiResponse response = ApiClient.at(port).get("/api/v1/me");
        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(response.header("Content-Security-Policy")).contains("default-src 'self'", "frame-ancestors 'none'");
        assertThat(response.header("Referrer-Policy")).isEqualTo("strict-origin-when-cross-origin");
        assertThat(response.header("Cache-Control")).contains("no-store");
    }

    @Test
    void unknownPathsAreProblems() {
        ApiResponse response = ApiClient.at(port).get("/api/no/such/page");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.isProblem()).isTrue();
    }

    @Test
    void rootServesTheWebUi() {
        ApiResponse response = ApiClient.at(port).get("/", Map.of("Accept", "text/html"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/html");
        assertThat(response.header("Cache-Control")).contains("no-cache");
        assertThat(response.text()).contains("<div id=\"root\"></div>", "<script type=\"module\"", "/assets/");
    }
}
