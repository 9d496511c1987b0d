package io.taskmesh.support;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import tools.jackson.databind.JsonNode;

/** A response of the API with its body parsed as JSON when it is JSON. */
public final class ApiResponse {

    private final HttpResponse<byte[]> response;
    private final String text;

    ApiResponse(HttpResponse<byte[]> response) {
        this.response = response;
        this.text = new String(response.body(), StandardCharsets.UTF_8);
    }

    public int status() {
        return response.statusCode();
    }

    public String text() {
        return text;
    }

    /** The body as sent, e.g. still compressed. */
    public byte[] body() {
        return response.body();
    }

    /** The body of a gzip-encoded answer, decompressed (fails when it is not gzip). */
    public String gunzipped() {
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(response.body()))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new AssertionError("the body is not gzip: " + e, e);
        }
    }

    public JsonNode json() {
        return ApiClient.JSON.readTree(text);
    }

    /** A field of the JSON body as text. */
    public String get(String field) {
        JsonNode node = json().get(field);
        return node == null || node.isNull() ? null : node.asString();
    }

    public String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** Every value of a header (e.g. each Set-Cookie). */
    /** Every header, by lower-case name. */
    public java.util.Map<String, java.util.List<String>> allHeaders() {
        return response.headers().map();
    }

    public java.util.List<String> headers(String name) {
        return response.headers().allValues(name);
    }

    /** The Set-Cookie header that sets the named cookie, or null. */
    public String setCookie(String cookieName) {
        return headers("Set-Cookie").stream().filter(h -> h.startsWith(cookieName + "=")).findFirst().orElse(null);
    }

    public String contentType() {
        return header("Content-Type");
    }

    public boolean isProblem() {
        return contentType() != null && contentType().startsWith("application/problem+json");
    }

    @Override
    public String toString() {
        return response.request().method() + " " + response.uri().getPath() + " -> " + status() + " " + text;
    }
}
