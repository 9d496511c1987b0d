package io.taskmesh.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/** Checks that an error answer is a well-formed RFC 9457 problem as API.md requires. */
public final class ProblemAssertions {

    private ProblemAssertions() {
    }

    /**
     * What is wrong with the response as an error answer (empty when it is a 4xx problem with
     * type, title, status and detail, its {@code status} member equal to the HTTP status).
     */
    public static List<String> problemDefects(ApiResponse response, boolean expectBody) {
        List<String> defects = new ArrayList<>();
        if (response.status() < 400 || response.status() >= 500) {
            defects.add("status " + response.status() + " is not a 4xx");
        }
        if (!response.isProblem()) {
            defects.add("Content-Type is " + response.contentType() + ", not application/problem+json");
            return defects;
        }
        if (!expectBody) {
            return defects;
        }
        JsonNode json;
        try {
            json = response.json();
        } catch (RuntimeException e) {
            defects.add("body is not JSON: " + e.getMessage());
            return defects;
        }
        if (json == null || !json.isObject()) {
            defects.add("body is not a JSON object");
            return defects;
        }
        for (String member : new String[] {"type", "title", "detail"}) {
            JsonNode value = json.get(member);
            if (value == null || !value.isString() || value.asString().isBlank()) {
                defects.add("member '" + member + "' is missing or blank");
            }
        }
        JsonNode status = json.get("status");
        if (status == null || !status.isInt() || status.intValue() != response.status()) {
            defects.add("member 'status' is " + status + ", not " + response.status());
        }
        JsonNode errors = json.get("errors");
        if (errors != null) {
            if (!errors.isArray() || errors.isEmpty()) {
                defects.add("member 'errors' is not a non-empty array");
            } else {
                for (JsonNode error : errors) {
                    if (!error.path("field").isString() || error.path("field").asString().isBlank()
                            || !error.path("message").isString() || error.path("message").asString().isBlank()) {
                        defects.add("error entry " + error + " lacks field or message");
                    }
                }
            }
        }
        return defects;
    }

    /** Asserts a 4xx problem with the given status. */
    public static void assertProblem(ApiResponse response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(problemDefects(response, true)).as(response.toString()).isEmpty();
    }

    /** Asserts a 4xx validation problem whose {@code errors} name {@code field}. */
    public static void assertFieldError(ApiResponse response, int status, String field) {
        assertProblem(response, status);
        JsonNode errors = response.json().get("errors");
        assertThat(errors).as("errors of " + response).isNotNull();
        List<String> fields = new ArrayList<>();
        errors.forEach(e -> fields.add(e.path("field").asString()));
        assertThat(fields).as("fields named by " + response).contains(field);
    }
}
