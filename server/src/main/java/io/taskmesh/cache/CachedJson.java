package io.taskmesh.cache;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * A cached answer's JSON, and its gzip form, compressed once, the first time a client that accepts
 * gzip asks for it. NGINX would otherwise compress the same bytes again for every such client: a
 * node's copy is served many times (browsers, and most HTTP libraries, accept gzip).
 */
public final class CachedJson {

    /** As NGINX's {@code gzip_min_length}: a smaller answer gains too little to be worth it. */
    static final int GZIP_FROM_BYTES = 1024;

    private final byte[] json;
    private volatile byte[] gzip;

    private CachedJson(byte[] json) {
        this.json = json;
    }

    public static CachedJson of(byte[] json) {
        return new CachedJson(json);
    }

    public byte[] json() {
        return json;
    }

    /** The bytes for a client that sent this {@code Accept-Encoding} (null when none), and their encoding. */
    public Encoded encodedFor(String acceptEncoding) {
        if (json.length < GZIP_FROM_BYTES || !acceptsGzip(acceptEncoding)) {
            return new Encoded(json, null);
        }
        byte[] compressed = gzip;
        if (compressed == null) {
            // Two threads may compress at once; both make the same bytes.
            compressed = gzip(json);
            gzip = compressed;
        }
        return new Encoded(compressed, "gzip");
    }

    /** What a node's copy weighs: the JSON, and a quarter of it for the gzip form it may come to hold. */
    int weight() {
        return json.length < GZIP_FROM_BYTES ? json.length : json.length + json.length / 4;
    }

    /** Answer bytes and their {@code Content-Encoding} (null for the JSON as is). */
    public record Encoded(byte[] bytes, String contentEncoding) {
    }

    /**
     * Whether an {@code Accept-Encoding} header allows gzip (RFC 9110 12.5.3): named with a weight
     * above 0, or covered by {@code *} when not named.
     */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        Boolean star = null;
        for (String entry : acceptEncoding.split(",")) {
            String[] parts = entry.split(";", -1);
            String coding = parts[0].trim().toLowerCase(Locale.ROOT);
            boolean allowed = weight(parts) > 0;
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                return allowed;
            }
            if (coding.equals("*")) {
                star = allowed;
            }
        }
        return Boolean.TRUE.equals(star);
    }

    /** The {@code q} of one entry: 1 when absent, 0 when it cannot be read. */
    private static double weight(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            if (parameter.length() >= 2 && (parameter.charAt(0) == 'q' || parameter.charAt(0) == 'Q')
                    && parameter.charAt(1) == '=') {
                try {
                    return Double.parseDouble(parameter.substring(2).trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 8192)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
