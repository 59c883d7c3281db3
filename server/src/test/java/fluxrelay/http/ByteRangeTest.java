package fluxrelay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Range header parsing (RFC 9110 14.1.2) against a 1000-byte representation. */
class ByteRangeTest {

    private static ByteRange range(String header) {
        return ByteRange.parse(header, 1000);
    }

    @Test
    void singleRangesAreClippedToTheRepresentation() {
        assertEquals(new ByteRange(0, 99), range("bytes=0-99"));
        assertEquals(new ByteRange(500, 999), range("bytes=500-"));
        assertEquals(new ByteRange(900, 999), range("bytes=-100"));
        assertEquals(new ByteRange(0, 999), range("bytes=-5000"));
        assertEquals(new ByteRange(990, 999), range("bytes=990-5000"));
        assertEquals(new ByteRange(5, 5), range("BYTES= 5-5"));
    }

    @Test
    void rangesPastTheEndAreUnsatisfiable() {
        assertEquals(ByteRange.UNSATISFIABLE, range("bytes=1000-"));
        assertEquals(ByteRange.UNSATISFIABLE, range("bytes=1000-2000"));
        assertEquals(ByteRange.UNSATISFIABLE, range("bytes=-0"));
    }

    @Test
    void whatCannotBeReadOrIsSeveralRangesIsIgnored() {
        assertEquals(null, range(null));
        assertEquals(null, range("items=0-5"));
        assertEquals(null, range("bytes=5-1"));
        assertEquals(null, range("bytes=0-1,4-5"));
        assertEquals(null, range("bytes=a-b"));
        assertEquals(null, range("bytes=-"));
        assertEquals(null, range("bytes=99999999999999999999-"));
    }
}
