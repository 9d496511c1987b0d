package io.taskmesh.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which clients get gzip, and that the gzip form is the same JSON, made once. */
class CachedJsonTest {

    private static final byte[] PAGE = ("{\"items\":[" + "{\"title\":\"a task\",\"completed\":false},".repeat(60)
            + "{}]}").getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "GZIP", "gzip, deflate, br, zstd", "br;q=1.0, gzip;q=0.5", "x-gzip", "*",
            "br, *;q=0.1", " deflate , gzip ; q=0.001"})
    void theseAcceptGzip(String acceptEncoding) {
        assertThat(CachedJson.acceptsGzip(acceptEncoding)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "identity", "br, deflate", "gzip;q=0", "gzip;q=0.0, *", "*;q=0", "gzip;q=x",
            "gzip;q=", "gzipped", "*, gzip;q=0", ";", ",,,"})
    void theseDoNot(String acceptEncoding) {
        assertThat(CachedJson.acceptsGzip(acceptEncoding)).isFalse();
    }

    @Test
    void noHeaderMeansNoGzip() {
        assertThat(CachedJson.acceptsGzip(null)).isFalse();
        assertThat(CachedJson.of(PAGE).encodedFor(null)).satisfies(plain -> {
            assertThat(plain.bytes()).isSameAs(PAGE);
            assertThat(plain.contentEncoding()).isNull();
        });
    }

    @Test
    void theGzipFormHoldsTheSameJsonAndIsMadeOnce() throws IOException {
        CachedJson json = CachedJson.of(PAGE);
        CachedJson.Encoded first = json.encodedFor("gzip");
        assertThat(first.contentEncoding()).isEqualTo("gzip");
        assertThat(first.bytes().length).isLessThan(PAGE.length / 4);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(first.bytes()))) {
            assertThat(in.readAllBytes()).isEqualTo(PAGE);
        }
        assertThat(json.encodedFor("gzip, br").bytes()).isSameAs(first.bytes());
        assertThat(json.encodedFor("br").bytes()).isSameAs(PAGE);
    }

    @Test
    void anAnswerUnderAKilobyteIsSentAsIs() {
        byte[] small = new byte[CachedJson.GZIP_FROM_BYTES - 1];
        assertThat(CachedJson.of(small).encodedFor("gzip").contentEncoding()).isNull();
        assertThat(CachedJson.of(small).weight()).isEqualTo(small.length);
        assertThat(CachedJson.of(PAGE).weight()).as("room for the gzip form").isGreaterThan(PAGE.length);
    }
}
