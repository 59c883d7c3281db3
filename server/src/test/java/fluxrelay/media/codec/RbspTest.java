package fluxrelay.media.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RbspTest {

    /** H.264 7.4.1: each 00 00 03 loses its 03; nothing else changes. */
    @ParameterizedTest
    @CsvSource({
        // NAL payload,           RBSP
        "'',                       ''",
        "01 02 03,                 010203",
        "00 00 03 01,              000001",
        "00 00 03 00 00 03 00,     0000000000", // two in a row
        "00 00 03,                 0000",       // at the end (cabac_zero_word)
        "00 03 00 00 03 03,        0003000003", // one zero is not enough; the 03 after is data
        "00 00 00 03,              000000",     // three zeros then 03: still removed
        "00 00 04 00 00 02,        000004000002",
    })
    void removesEmulationPrevention(String nal, String rbsp) {
        byte[] bytes = Hex.bytes(nal);
        assertEquals(rbsp, Hex.of(Rbsp.unescape(bytes, 0, bytes.length)));
    }

    @ParameterizedTest
    @CsvSource({"ff 00 00 03 01 ee, 1, 4, 000001"})
    void readsAWindow(String nal, int offset, int length, String rbsp) {
        assertEquals(rbsp, Hex.of(Rbsp.unescape(Hex.bytes(nal), offset, length)));
    }
}
