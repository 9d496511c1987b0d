package io.taskmesh.web;

import java.io.IOException;

import org.springframework.http.HttpStatus;

/** Raised while reading a request body that grows past the limit (e.g. a chunked upload). */
public class BodyTooLargeException extends IOException {

    public BodyTooLargeException() {
        super("request body exceeds " + BodyLimitFilter.MAX_BODY_BYTES + " bytes");
    }

    static ApiException problem() {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Request body too large",
                "The request body must not exceed 1 MiB (" + BodyLimitFilter.MAX_BODY_BYTES + " bytes)");
    }

    static boolean causedBy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BodyTooLargeException) {
                return true;
            }
        }
        return false;
    }
}
