package io.taskmesh.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which clients get gzip, that the gzip form is the same JSON, made once, and what Redis keeps. */
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
    void anAnswerUnderAKilobyteIsSentAndStoredAsIs() {
        byte[] small = "{\"items\":[]}".getBytes(StandardCharsets.UTF_8);
        assertThat(CachedJson.of(small).encodedFor("gzip").contentEncoding()).isNull();
        assertThat(CachedJson.of(small).stored()).isSameAs(small);
        CachedJson back = CachedJson.fromStored(small);
        assertThat(back.json()).isEqualTo(small);
        assertThat(back.weight()).isEqualTo(small.length);
    }

    @Test
    void redisKeepsTheGzipFormAndANodeReadingItBackHoldsBothForms() {
        CachedJson loaded = CachedJson.of(PAGE);
        byte[] stored = loaded.stored();
        assertThat(stored.length).isLessThan(PAGE.length / 4);
        assertThat(loaded.encodedFor("gzip").bytes()).as("compressed once").isSameAs(stored);
        assertThat(loaded.weight()).isEqualTo(PAGE.length + stored.length);
        CachedJson back = CachedJson.fromStored(stored);
        assertThat(back.json()).isEqualTo(PAGE);
        assertThat(back.encodedFor("gzip").bytes()).isSameAs(stored);
        assertThat(back.weight()).isEqualTo(PAGE.length + stored.length);
    }

    @Test
    void storedBytesThatAreNotValidGzipCountAsMissing() {
        byte[] broken = java.util.Arrays.copyOf(CachedJson.of(PAGE).stored(), 20);
        assertThat(CachedJson.fromStored(broken)).isNull();
    }
}
