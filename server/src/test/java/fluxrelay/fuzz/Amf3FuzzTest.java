package fluxrelay.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import fluxrelay.rtmp.amf.Amf3Reader;
import fluxrelay.rtmp.amf.Amf3Writer;

/**
 * {@link Amf3Reader} (AMF3 spec 3: U29 integers, string/object/traits reference tables, vectors,
 * dictionaries, byte arrays) on arbitrary bytes: only {@code AmfException} may come out, and what
 * decodes round-trips through {@link Amf3Writer} ({@link AmfRoundTrip}). Seeds: the ffmpeg commands
 * and clip metadata of the AMF0 seeds, re-encoded as AMF3 (no client we can run sends AMF3).
 */
class Amf3FuzzTest {

    @FuzzTest
    void readAmf3(byte[] input) {
        AmfRoundTrip.check(input, limits -> new Amf3Reader(limits)::readAll, Amf3Writer::writeAll);
    }
}
