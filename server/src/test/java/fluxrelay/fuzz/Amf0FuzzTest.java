package fluxrelay.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import fluxrelay.rtmp.amf.Amf0Reader;
import fluxrelay.rtmp.amf.Amf0Writer;

/**
 * {@link Amf0Reader} (AMF0 spec 2, with the AMF3 switch of 3.1) on arbitrary command and data message
 * bodies: only {@code AmfException} may come out, and what decodes round-trips through
 * {@link Amf0Writer} ({@link AmfRoundTrip}). Seeds: every command ffmpeg sends when publishing and the
 * onMetaData of each sample clip.
 */
class Amf0FuzzTest {

    @FuzzTest
    void readAmf0(byte[] input) {
        AmfRoundTrip.check(input, limits -> new Amf0Reader(limits)::readAll, Amf0Writer::writeAll);
    }
}
