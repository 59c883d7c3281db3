package fluxrelay.rtmp.amf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** AMF0 golden bytes (AMF0 spec section 2): one table drives decode, encode and round trip. */
class Amf0GoldenTest {

    record Case(String name, byte[] bytes, AmfValue value) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case c(String name, String bytes, AmfValue value) {
        return new Case(name, Bytes.of(bytes), value);
    }

    static Stream<Case> exact() {
        byte[] longText = "x".repeat(65_536).getBytes();
        return Stream.of(
                // 2.2 number-marker, DOUBLE big-endian
                c("number 0", "00 0000000000000000", new AmfNumber(0)),
                c("number 1.5", "00 3FF8000000000000", new AmfNumber(1.5)),
                c("number -2", "00 C000000000000000", new AmfNumber(-2)),
                c("number NaN", "00 7FF8000000000000", new AmfNumber(Double.NaN)),
                // 2.3 boolean-marker, U8
                c("true", "01 01", AmfBoolean.TRUE),
                c("false", "01 00", AmfBoolean.FALSE),
                // 2.4 string-marker, U16 length, UTF-8
                c("string", "02 0004 'live'", new AmfString("live")),
                c("empty string", "02 0000", new AmfString("")),
                c("two-byte UTF-8", "02 0002 C3A9", new AmfString("\u00e9")),
                c("four-byte UTF-8", "02 0004 F09F9880", new AmfString("\uD83D\uDE00")),
                // 2.5 object-marker, name/value pairs, UTF-8-empty + object-end-marker
                c("object", "03 | 0003 'app' 02 0004 'live' | 0005 'width' 00 4094000000000000 | 0000 09",
                        AmfObject.of("app", "live", "width", 1280)),
                c("empty object", "03 0000 09", AmfObject.EMPTY),
                c("member named empty", "03 0000 05 0000 09", AmfObject.of("", null)),
                // 2.7 null-marker, 2.8 undefined-marker
                c("null", "05", AmfNull.INSTANCE),
                c("undefined", "06", AmfUndefined.INSTANCE),
                // 2.10 ecma-array-marker, U32 count, members, end
                c("ecma array", "08 00000002 | 0005 'width' 00 4094000000000000 | 0006 'stereo' 01 01 | 0000 09",
                        AmfEcmaArray.of("width", 1280, "stereo", true)),
                c("empty ecma array", "08 00000000 0000 09", AmfEcmaArray.of()),
                // 2.12 strict-array-marker, U32 count, values
                c("strict array", "0A 00000002 | 00 3FF0000000000000 | 02 0001 'a'", AmfStrictArray.of(1, "a")),
                c("empty strict array", "0A 00000000", AmfStrictArray.of()),
                // 2.13 date-marker, DOUBLE ms, S16 time zone
                c("date", "0B 4278BCFE56800000 0000", new AmfDate(1_700_000_000_000.0, 0)),
                c("date with time zone", "0B 4278BCFE56800000 FFC4", new AmfDate(1_700_000_000_000.0, -60)),
                // 2.14 long-string-marker, U32 length: used past 65535 bytes
                new Case("long string", Bytes.concat(Bytes.of("0C 00010000"), longText),
                        new AmfString("x".repeat(65_536))),
                new Case("longest short string", Bytes.concat(Bytes.of("02 FFFF"), "y".repeat(65_535).getBytes()),
                        new AmfString("y".repeat(65_535))),
                // 2.15 unsupported-marker
                c("unsupported", "0D", AmfUnsupported.INSTANCE),
                // 2.17 xml-document-marker, U32 length
                c("xml document", "0F 00000004 '<a/>'", new AmfXmlDocument("<a/>")),
                // 2.18 typed-object-marker, class name, members, end
                c("typed object", "10 0005 'Point' | 0001 'x' 00 3FF0000000000000 | 0000 09",
                        AmfObject.typed("Point", "x", 1)),
                // 3.1 avmplus-object-marker: one AMF3 value follows
                c("avmplus ByteArray", "11 | 0C 07 010203", new AmfByteArray(new byte[] {1, 2, 3})),
                c("avmplus XML", "11 | 0B 09 '<a/>'", new AmfXml("<a/>")),
                c("avmplus Vector.<int>", "11 | 0D 05 00 00000001 FFFFFFFF",
                        new AmfVector(AmfVector.Kind.INT, false, null, List.of(new AmfNumber(1), new AmfNumber(-1)))),
                c("avmplus Dictionary", "11 | 11 03 01 06 03 'k' 01",
                        new AmfDictionary(true, List.of(new AmfDictionary.Entry(new AmfString("k"), AmfNull.INSTANCE)))),
                c("nested", "03 | 0001 'a' 0A 00000001 03 0001 'b' 06 0000 09 | 0001 'c' 11 0C 01 | 0000 09",
                        AmfObject.of("a", AmfStrictArray.of(AmfObject.of("b", AmfUndefined.INSTANCE)),
                                "c", new AmfByteArray(new byte[0]))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exact")
    void decodes(Case c) {
        assertEquals(List.of(c.value()), Bytes.readAmf0(c.bytes()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exact")
    void encodes(Case c) {
        assertEquals(Bytes.hex(c.bytes()), Bytes.hex(Bytes.amf0(c.value())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exact")
    void roundTrips(Case c) {
        assertEquals(List.of(c.value()), Bytes.readAmf0(Bytes.amf0(c.value())));
    }

    /** Valid encodings our writer spells differently; they must decode to the value. */
    static Stream<Case> decodeOnly() {
        return Stream.of(
                c("boolean 0x02 is true", "01 02", AmfBoolean.TRUE),
                c("short text as long string", "0C 00000002 'hi'", new AmfString("hi")),
                c("ecma count too high is a hint", "08 00000063 0001 'a' 05 0000 09", AmfEcmaArray.of("a", null)),
                c("ecma count zero is a hint", "08 00000000 0001 'a' 05 0000 09", AmfEcmaArray.of("a", null)),
                c("typed object with empty class name", "10 0000 0000 09", AmfObject.EMPTY),
                // table: #0 the strict array, #1 the object; 07 0001 points at the object
                c("reference", "0A 00000002 | 03 0001 'a' 00 3FF0000000000000 0000 09 | 07 0001",
                        AmfStrictArray.of(AmfObject.of("a", 1), AmfObject.of("a", 1))),
                c("avmplus integer", "11 04 7F", new AmfNumber(127)),
                c("duplicate member keeps first place, last value", "03 0001 'a' 05 0001 'b' 05 0001 'a' 06 0000 09",
                        AmfObject.of("a", AmfUndefined.INSTANCE, "b", null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decodeOnly")
    void decodesOtherSpellings(Case c) {
        assertEquals(List.of(c.value()), Bytes.readAmf0(c.bytes()));
        assertEquals(List.of(c.value()), Bytes.readAmf0(Bytes.amf0(c.value())));
    }

    record Bad(String name, String bytes, String message, int offset) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> malformed() {
        return Stream.of(
                new Bad("movieclip", "04", "movieclip", 0),
                new Bad("recordset", "0E", "recordset", 0),
                new Bad("stray object end", "09", "object-end marker outside an object", 0),
                new Bad("unknown marker", "12", "unknown AMF0 type marker 0x12", 0),
                new Bad("reference before any object", "07 0000", "reference #0 but only 0 entries", 0),
                new Bad("reference into itself", "03 0001 'a' 07 0000 0000 09", "still being read", 4),
                new Bad("truncated number", "00 3FF0", "truncated AMF0 number", 1),
                new Bad("string longer than the bytes", "02 0010 'ab'", "truncated AMF0 string", 3),
                new Bad("object without end", "03 0001 'a' 05", "truncated AMF0 object member name", 5),
                new Bad("empty name then end of input", "03 0000", "truncated AMF0 object end", 3),
                new Bad("externalizable AMF3", "11 0A 07 07 'Foo'", "externalizable object of class 'Foo'", 1),
                new Bad("unknown AMF3 marker", "11 12", "unknown AMF3 type marker 0x12", 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejects(Bad bad) {
        AmfException e = assertThrows(AmfException.class, () -> Bytes.readAmf0(Bytes.of(bad.bytes())));
        assertTrue(e.getMessage().contains(bad.message()), e.getMessage());
        assertEquals(bad.offset(), e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains("at byte offset " + bad.offset()), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void memberNameOver65535BytesCannotBeWritten() {
        AmfObject o = AmfObject.of("k".repeat(65_536), 1);
        AmfException e = assertThrows(AmfException.class, () -> Bytes.amf0(o));
        assertTrue(e.getMessage().contains("member name"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void writeAllConcatenates() {
        assertArrayEquals(Bytes.of("05 06 01 01"),
                Bytes.amf0(AmfNull.INSTANCE, AmfUndefined.INSTANCE, AmfBoolean.TRUE));
    }
}
