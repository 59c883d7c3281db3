package fluxrelay.rtmp.amf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** AMF3 golden bytes (AMF3 spec section 3): one table drives decode, encode and round trip. */
class Amf3GoldenTest {

    record Case(String name, byte[] bytes, AmfValue value) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case c(String name, String bytes, AmfValue value) {
        return new Case(name, Bytes.of(bytes), value);
    }

    private static AmfNumber n(double v) {
        return new AmfNumber(v);
    }

    static Stream<Case> exact() {
        return Stream.of(
                // 3.2 - 3.5: single-byte markers
                c("undefined", "00", AmfUndefined.INSTANCE),
                c("null", "01", AmfNull.INSTANCE),
                c("false", "02", AmfBoolean.FALSE),
                c("true", "03", AmfBoolean.TRUE),
                // 3.6 integer-marker, U29 (1.3.1) at each width boundary, 29-bit two's complement
                c("int 0", "04 00", n(0)),
                c("int 0x7F, widest 1-byte", "04 7F", n(0x7F)),
                c("int 0x80, narrowest 2-byte", "04 81 00", n(0x80)),
                c("int 0x3FFF, widest 2-byte", "04 FF 7F", n(0x3FFF)),
                c("int 0x4000, narrowest 3-byte", "04 81 80 00", n(0x4000)),
                c("int 0x1FFFFF, widest 3-byte", "04 FF FF 7F", n(0x1F_FFFF)),
                c("int 0x200000, narrowest 4-byte", "04 80 C0 80 00", n(0x20_0000)),
                c("int 0x0FFFFFFF, largest", "04 BF FF FF FF", n(0x0FFF_FFFF)),
                c("int -1", "04 FF FF FF FF", n(-1)),
                c("int -2", "04 FF FF FF FE", n(-2)),
                c("int -0x10000000, smallest", "04 C0 80 80 00", n(-0x1000_0000)),
                // 3.7 double-marker: non-integral or outside the 29-bit range
                c("double 1.5", "05 3FF8000000000000", n(1.5)),
                c("double 2^28, just past int", "05 41B0000000000000", n(0x1000_0000)),
                c("double -0.0", "05 8000000000000000", n(-0.0)),
                // 3.8 string-marker, U29S-value = length << 1 | 1
                c("string", "06 09 'live'", new AmfString("live")),
                c("empty string", "06 01", new AmfString("")),
                c("string of 64 bytes, 2-byte header", "06 81 01 '" + "s".repeat(64) + "'",
                        new AmfString("s".repeat(64))),
                // 3.9 xml-doc-marker, 3.13 xml-marker
                c("XMLDocument", "07 09 '<a/>'", new AmfXmlDocument("<a/>")),
                c("XML", "0B 09 '<a/>'", new AmfXml("<a/>")),
                // 3.10 date-marker, U29D-value 1, DOUBLE
                c("date", "08 01 4278BCFE56800000", new AmfDate(1_700_000_000_000.0, 0)),
                // 3.11 array-marker, U29A-value = dense count << 1 | 1, assoc pairs, empty string, dense
                c("dense array", "09 05 01 | 04 01 | 06 03 'a'", AmfStrictArray.of(1, "a")),
                c("empty array", "09 01 01", AmfStrictArray.of()),
                c("associative array", "09 01 | 03 'a' 04 01 | 01", AmfEcmaArray.of("a", 1)),
                // 3.12 object-marker: U29O-traits 0b1011 = inline, dynamic, 0 sealed; class "" ; members; end
                c("anonymous object", "0A 0B 01 | 03 'a' 04 01 | 03 'b' 06 03 'x' | 01",
                        AmfObject.of("a", 1, "b", "x")),
                // U29O-traits (1 << 4) | 0b0011 = inline, sealed, 1 member; class name; names; values
                c("typed sealed object", "0A 13 0B 'Point' 03 'x' | 04 01", AmfObject.typed("Point", "x", 1)),
                // 3.14 bytearray-marker, U29B-value
                c("ByteArray", "0C 07 010203", new AmfByteArray(new byte[] {1, 2, 3})),
                // 3.15 vector markers: U29V-value, fixed flag, items
                c("Vector.<int>", "0D 05 00 00000001 FFFFFFFF",
                        new AmfVector(AmfVector.Kind.INT, false, null, List.of(n(1), n(-1)))),
                c("Vector.<uint> fixed", "0E 03 01 FFFFFFFF",
                        new AmfVector(AmfVector.Kind.UINT, true, null, List.of(n(4_294_967_295.0)))),
                c("Vector.<Number>", "0F 03 00 3FF8000000000000",
                        new AmfVector(AmfVector.Kind.DOUBLE, false, null, List.of(n(1.5)))),
                c("Vector.<Object>", "10 05 00 01 | 06 03 'a' | 01",
                        new AmfVector(AmfVector.Kind.OBJECT, false, "", List.of(new AmfString("a"), AmfNull.INSTANCE))),
                // 3.16 dictionary-marker: U29Dict-value, weak-keys flag, key/value pairs
                c("Dictionary", "11 03 00 | 06 03 'k' 04 01",
                        new AmfDictionary(false, List.of(new AmfDictionary.Entry(new AmfString("k"), n(1))))),
                c("nested", "0A 0B 01 | 03 'l' 09 03 01 0A 0B 01 01 | 01",
                        AmfObject.of("l", AmfStrictArray.of(AmfObject.EMPTY))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exact")
    void decodes(Case c) {
        assertEquals(List.of(c.value()), Bytes.readAmf3(c.bytes()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exact")
    void encodes(Case c) {
        assertEquals(Bytes.hex(c.bytes()), Bytes.hex(Bytes.amf3(c.value())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exact")
    void roundTrips(Case c) {
        assertEquals(List.of(c.value()), Bytes.readAmf3(Bytes.amf3(c.value())));
    }

    /** U29 (1.3.1) as an unsigned count, beyond the integer type's range too. */
    static Stream<Object[]> u29() {
        return Stream.of(
                new Object[] {0, "00"}, new Object[] {0x7F, "7F"}, new Object[] {0x80, "81 00"},
                new Object[] {0x3FFF, "FF 7F"}, new Object[] {0x4000, "81 80 00"},
                new Object[] {0x1F_FFFF, "FF FF 7F"}, new Object[] {0x20_0000, "80 C0 80 00"},
                new Object[] {0x0FFF_FFFF, "BF FF FF FF"}, new Object[] {0x1000_0000, "C0 80 80 00"},
                new Object[] {0x1FFF_FFFF, "FF FF FF FF"});
    }

    @ParameterizedTest(name = "U29 {0}")
    @MethodSource("u29")
    void u29EncodesAndSignExtends(int value, String hex) {
        assertEquals(hex.replace(" ", "").toLowerCase(),
                Bytes.hex(Bytes.written(out -> Amf3Writer.writeU29(out, value))).replace(" ", ""));
        int signed = (value << 3) >> 3;
        assertEquals(List.of(n(signed)), Bytes.readAmf3(Bytes.of("04 " + hex)));
    }

    @Test
    void u29RejectsOutOfRange() {
        assertThrows(AmfException.class, () -> Bytes.written(out -> Amf3Writer.writeU29(out, 0x2000_0000)));
        assertThrows(AmfException.class, () -> Bytes.written(out -> Amf3Writer.writeU29(out, -1)));
    }

    /** References and other valid spellings our writer does not produce. */
    static Stream<Case> decodeOnly() {
        AmfObject point1 = AmfObject.typed("Point", "x", 1);
        return Stream.of(
                // string table: #0 'ab'; 06 00 is a reference to #0
                c("string reference", "09 05 01 | 06 05 'ab' | 06 00", AmfStrictArray.of("ab", "ab")),
                // the empty string never enters the table, so #0 is still 'ab'
                c("empty string is not referenced", "09 07 01 | 06 01 | 06 05 'ab' | 06 00",
                        AmfStrictArray.of("", "ab", "ab")),
                // object table: #0 the array, #1 the object; 0A 02 points at #1
                c("object reference", "09 05 01 | 0A 0B 01 03 'a' 04 01 01 | 0A 02",
                        AmfStrictArray.of(AmfObject.of("a", 1), AmfObject.of("a", 1))),
                // traits table: #0 Point; second object's header 0b01 = traits reference #0
                c("traits reference", "09 05 01 | 0A 13 0B 'Point' 03 'x' 04 01 | 0A 01 04 02",
                        AmfStrictArray.of(point1, AmfObject.typed("Point", "x", 2))),
                // a member name given by string reference (#0 'a')
                c("member name by string reference", "09 05 01 | 0A 0B 01 03 'a' 04 01 01 | 0A 0B 01 00 04 02 01",
                        AmfStrictArray.of(AmfObject.of("a", 1), AmfObject.of("a", 2))),
                c("sealed plus dynamic members", "0A 1B 0B 'Point' 03 'x' | 04 01 | 03 'y' 04 02 01",
                        AmfObject.typed("Point", "x", 1, "y", 2)),
                c("date reference", "09 05 01 | 08 01 4278BCFE56800000 | 08 02",
                        AmfStrictArray.of(new AmfDate(1.7e12, 0), new AmfDate(1.7e12, 0))),
                c("mixed array", "09 03 | 03 'k' 06 03 'v' 01 | 04 07", AmfEcmaArray.of("k", "v", "0", 7)),
                c("integral double", "05 3FF0000000000000", n(1)),
                c("non-minimal U29", "04 80 01", n(1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decodeOnly")
    void decodesReferencesAndOtherSpellings(Case c) {
        assertEquals(List.of(c.value()), Bytes.readAmf3(c.bytes()));
        assertEquals(List.of(c.value()), Bytes.readAmf3(Bytes.amf3(c.value())));
    }

    record Bad(String name, String bytes, String message, int offset) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> malformed() {
        return Stream.of(
                new Bad("externalizable names its class", "0A 07 29 'flex.ArrayCollection'",
                        "externalizable object of class 'flex.ArrayCollection'", 0),
                new Bad("string reference out of range", "06 02", "AMF3 string reference #1 but only 0", 1),
                new Bad("object reference out of range", "0A 00", "AMF3 object reference #0 but only 0", 0),
                new Bad("traits reference out of range", "0A 01", "AMF3 traits reference #0 but only 0", 0),
                new Bad("array containing itself", "09 03 01 09 00", "still being read", 3),
                new Bad("unknown marker", "12", "unknown AMF3 type marker 0x12", 0),
                new Bad("truncated U29", "04 FF", "truncated AMF3 integer", 2),
                new Bad("truncated double", "05 3FF0", "truncated AMF3 double", 1),
                new Bad("dynamic object without end", "0A 0B 01 03 'a' 04 01", "truncated AMF3 dynamic member name", 7),
                new Bad("dense count beyond the bytes", "09 FF FF FF FF 01", "AMF3 array dense part declares", 6));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejects(Bad bad) {
        AmfException e = assertThrows(AmfException.class, () -> Bytes.readAmf3(Bytes.of(bad.bytes())));
        assertTrue(e.getMessage().contains(bad.message()), e.getMessage());
        assertEquals(bad.offset(), e.offset(), e.getMessage());
    }

    @Test
    void emptyMemberNameCannotBeWritten() {
        assertThrows(AmfException.class, () -> Bytes.amf3(AmfObject.of("", 1)));
        assertThrows(AmfException.class, () -> Bytes.amf3(AmfEcmaArray.of("", 1)));
    }

    @Test
    void amf0OnlyValuesDegrade() {
        assertEquals(List.of(AmfUndefined.INSTANCE), Bytes.readAmf3(Bytes.amf3(AmfUnsupported.INSTANCE)));
        assertEquals(List.of(new AmfDate(5, 0)), Bytes.readAmf3(Bytes.amf3(new AmfDate(5, 120))));
    }
}
