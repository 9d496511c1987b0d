package io.taskmesh.web;

import java.nio.charset.StandardCharsets;

import org.bson.types.ObjectId;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Ids of newly created lists and tasks. A POST sent with an {@code Idempotency-Key} gets an id
 * derived from the caller and the key: if a node dies after creating the resource but before
 * storing its answer, the client's retry runs the request again, hits the same id, and answers
 * with the resource created the first time instead of creating a second one.
 */
public final class NewIds {

    static final String ATTRIBUTE = NewIds.class.getName();

    private NewIds() {
    }

    /** The id for the resource this request creates. */
    public static String next() {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        Object derived = request == null ? null : request.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        if (derived instanceof String id) {
            // Only the first resource a request creates is tied to its key.
            request.removeAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
            return id;
        }
        return new ObjectId().toHexString();
    }

    /**
     * 12 bytes of SHA-256 over the caller, the key and the request, written like an ObjectId (the
     * request is included so that a key reused for another request after 24 h gets a new id).
     */
    static String derive(String userId, String idempotencyKey, String requestHash) {
        return Sha256.hex(("taskmesh-resource\0" + userId + "\0" + idempotencyKey + "\0" + requestHash)
                .getBytes(StandardCharsets.UTF_8)).substring(0, 24);
    }
}
