package io.taskmesh.web;

import java.util.List;

import org.springframework.security.web.header.HeaderWriter;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.header.writers.CacheControlHeadersWriter;
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.HstsHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.header.writers.XContentTypeOptionsHeaderWriter;
import org.springframework.security.web.header.writers.XXssProtectionHeaderWriter;
import org.springframework.security.web.header.writers.frameoptions.XFrameOptionsHeaderWriter;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The security headers of every response: Spring Security's defaults (HSTS on secure requests only)
 * plus our content security and referrer policies. One list, written by the security filter chain
 * and by {@link CachedReadFilter}, which answers before that chain.
 */
public final class SecurityHeaders {

    private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private static final List<HeaderWriter> WRITERS = List.of(
            new XContentTypeOptionsHeaderWriter(),
            new XXssProtectionHeaderWriter(),
            new CacheControlHeadersWriter(),
            new HstsHeaderWriter(),
            new XFrameOptionsHeaderWriter(XFrameOptionsHeaderWriter.XFrameOptionsMode.DENY),
            new ContentSecurityPolicyHeaderWriter(CSP),
            new ReferrerPolicyHeaderWriter(ReferrerPolicyHeaderWriter.ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN));

    private SecurityHeaders() {
    }

    /** The filter that writes them in the security chain (just before the response is committed). */
    static HeaderWriterFilter filter() {
        return new HeaderWriterFilter(WRITERS);
    }

    static void write(HttpServletRequest request, HttpServletResponse response) {
        for (HeaderWriter writer : WRITERS) {
            writer.writeHeaders(request, response);
        }
    }
}
