package fluxrelay.rtmp.amf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bombs, lies about sizes, and truncation: every one must end in an AmfException and nothing else. */
class HostileInputTest {

    private static final AmfLimits SMALL = new AmfLimits(32, 8, 10, 64);

    private static byte[] repeat(String unit, int times, String end) {
        byte[] one = Bytes.of(unit);
        byte[] tail = Bytes.of(end);
        byte[] out = Arrays.copyOf(one, one.length * times + tail.length);
        for (int i = 1; i < times; i++) {
            System.arraycopy(one, 0, out, i * one.length, one.length);
        }
        System.arraycopy(tail, 0, out, one.length * times, tail.length);
        return out;
    }

    private static AmfException rejected(Executable read, String message) {
        AmfException e = assertThrows(AmfException.class, read);
        assertTrue(e.getMessage().contains(message), e.getMessage());
        return e;
    }

    @Test
    void depthBombsStopAtMaxDepth() {
        // 100000 nested one-element strict arrays (0A 00000001 ...), then null
        rejected(() -> Bytes.readAmf0(repeat("0A 00000001", 100_000, "05")), "nested deeper than maxDepth 32");
        rejected(() -> Bytes.readAmf0(repeat("03 0001 'a'", 100_000, "05")), "nested deeper than maxDepth 32");
        rejected(() -> Bytes.readAmf0(repeat("08 00000001 0001 'a'", 100_000, "05")), "maxDepth");
        // AMF3: nested dense arrays (09 03 01 ...), directly and after the AMF0 switch
        rejected(() -> Bytes.readAmf3(repeat("09 03 01", 100_000, "01")), "nested deeper than maxDepth 32");
        rejected(() -> Bytes.readAmf0(Bytes.concat(Bytes.of("0A 00000001 11"), repeat("09 03 01", 100_000, "01"))),
                "maxDepth");
    }

    @Test
    void depthLimitIsExact() {
        assertEquals(1, Bytes.readAmf0(repeat("0A 00000001", 32, "05")).size());
        rejected(() -> Bytes.readAmf0(repeat("0A 00000001", 33, "05")), "maxDepth 32");
        assertEquals(1, Bytes.readAmf3(repeat("09 03 01", 32, "01")).size());
        rejected(() -> Bytes.readAmf3(repeat("09 03 01", 33, "01")), "maxDepth 32");
    }

    @Test
    void declaredCountsAreCheckedBeforeAllocating() {
        rejected(() -> Bytes.readAmf0(Bytes.of("0A FFFFFFFF 05")), "declares 4294967295 elements, over maxElements");
        rejected(() -> Bytes.readAmf0(Bytes.of("0A 0000FFFF 05")), "declares 65535 elements but only 1 bytes remain");
        rejected(() -> Bytes.readAmf3(Bytes.of("09 FF FF FF FF 01 01")), "AMF3 array dense part declares");
        rejected(() -> Bytes.readAmf3(Bytes.of("0D 83 FF FF 7F 00 00000001")), "AMF3 vector-int");
        rejected(() -> Bytes.readAmf3(Bytes.of("0F FF FF FF FF 00")), "AMF3 vector-double");
        rejected(() -> Bytes.readAmf3(Bytes.of("10 FF FF FF FF 00 01 01")), "AMF3 vector-object");
        rejected(() -> Bytes.readAmf3(Bytes.of("11 FF FF FF FF 00 01 01")), "AMF3 dictionary");
        // inline sealed traits declaring 0x1FFFFFF member names
        rejected(() -> Bytes.readAmf3(Bytes.of("0A FF FF FF F3 01 03 'a'")), "AMF3 sealed members");
    }

    @Test
    void ecmaArrayCountIsOnlyAHint() {
        assertEquals(List.of(AmfEcmaArray.of()), Bytes.readAmf0(Bytes.of("08 FFFFFFFF 0000 09")));
    }

    @Test
    void declaredLengthsAreCheckedBeforeAllocating() {
        rejected(() -> Bytes.readAmf0(Bytes.of("0C FFFFFFFF 'abc'")), "exceeds maxStringLength 1048576");
        rejected(() -> Bytes.readAmf0(Bytes.of("0C 00001000 'abc'")), "truncated AMF0 long string");
        rejected(() -> Bytes.readAmf0(Bytes.of("0F FFFFFFFF '<'")), "AMF0 xml-document of 4294967295 bytes");
        rejected(() -> Bytes.readAmf3(Bytes.of("06 FF FF FF FF 'abc'")), "AMF3 string of 268435455 bytes");
        rejected(() -> Bytes.readAmf3(Bytes.of("0C FF FF FF FF 00")), "AMF3 ByteArray of 268435455 bytes");
        rejected(() -> Bytes.readAmf3(Bytes.of("07 81 01 'ab'")), "truncated AMF3 XMLDocument");
    }

    @Test
    void smallLimitsAreEnforced() {
        rejected(() -> Bytes.readAmf0(Bytes.of("02 0009 '123456789'"), SMALL), "exceeds maxStringLength 8");
        assertEquals(1, Bytes.readAmf0(Bytes.of("02 0008 '12345678'"), SMALL).size());
        // the array plus 9 nulls is 10 values: allowed; one more is not
        assertEquals(1, Bytes.readAmf0(repeat("0A 00000009", 1, "05 05 05 05 05 05 05 05 05"), SMALL).size());
        rejected(() -> Bytes.readAmf0(repeat("0A 0000000A", 1, "05 05 05 05 05 05 05 05 05 05"), SMALL),
                "over maxElements 10");
        rejected(() -> Bytes.readAmf0(repeat("05", 11, ""), SMALL), "more than maxElements 10");
        rejected(() -> Bytes.readAmf0(Bytes.of("03 0001 'a' 05 0001 'b' 05 0001 'c' 05 0001 'd' 05 0001 'e' 05"
                + " 0001 'f' 05 0001 'g' 05 0001 'h' 05 0001 'i' 05 0001 'j' 05 0000 09"), SMALL), "maxElements");
    }

    /** Each object refers twice to the one before it: 2^40 values from a few hundred bytes. */
    @Test
    void amf0ReferenceBombIsCountedAtExpandedSize() {
        int levels = 40;
        StringBuilder hex = new StringBuilder(String.format("0A %08X", levels + 1));
        hex.append(" 03 0001 'a' 05 0000 09"); // #1: {a: null}; #0 is the outer array
        for (int k = 1; k <= levels; k++) {
            hex.append(String.format(" 03 0001 'a' 07 %04X 0001 'b' 07 %04X 0000 09", k, k));
        }
        byte[] bomb = Bytes.of(hex.toString());
        assertTrue(bomb.length < 1000);
        rejected(() -> Bytes.readAmf0(bomb), "more than maxElements 65536 values (references counted at full size)");
    }

    /** One 64 KiB string, then 300 references to it: 19 MiB of text from 65 KiB. */
    @Test
    void amf3StringReferenceBombIsCountedAtExpandedSize() {
        byte[] text = "z".repeat(65_536).getBytes();
        byte[] bomb = Bytes.concat(
                Bytes.of("09 84 5B 01"), // dense count 301: (301 << 1) | 1 = 603 = 0x25B; no associative part
                Bytes.of("06 88 80 01"), // inline string of 65536 bytes: (65536 << 1) | 1
                text,
                repeat("06 00", 300, ""));
        rejected(() -> Bytes.readAmf3(bomb), "more than maxExpandedBytes 16777216");
        AmfLimits generous = new AmfLimits(32, 1 << 20, 65_536, 64L << 20);
        assertEquals(301, ((AmfStrictArray) Bytes.readAmf3(bomb, generous).get(0)).size());
    }

    @Test
    void offsetsAreReaderIndexesAndFailuresRewind() {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer();
        try {
            buf.writeBytes(Bytes.of("FF FF FF | 05 | 00 3FF0"));
            buf.readerIndex(3);
            Amf0Reader reader = new Amf0Reader(AmfLimits.DEFAULT);
            AmfException e = assertThrows(AmfException.class, () -> reader.readAll(buf));
            assertEquals(5, e.offset());
            assertEquals(3, buf.readerIndex());
            assertEquals(AmfNull.INSTANCE, reader.read(buf));
            assertThrows(AmfException.class, () -> reader.read(buf));
            assertEquals(4, buf.readerIndex());
        } finally {
            buf.release();
        }
    }

    /** Values whose every strict prefix is a truncated value. */
    static List<byte[]> singleValues() {
        AmfValue everyAmf3 = new AmfVector(AmfVector.Kind.OBJECT, false, "", List.of(
                AmfUndefined.INSTANCE, AmfNull.INSTANCE, AmfBoolean.TRUE, new AmfNumber(0x20_0000), new AmfNumber(0.5),
                new AmfString("s"), new AmfXmlDocument("<d/>"), new AmfDate(1, 0), AmfStrictArray.of(1, "x"),
                AmfEcmaArray.of("k", 2), AmfObject.of("a", 1), AmfObject.typed("T", "b", true), new AmfXml("<x/>"),
                new AmfByteArray(new byte[] {9, 8}),
                new AmfVector(AmfVector.Kind.INT, true, null, List.of(new AmfNumber(-5))),
                new AmfVector(AmfVector.Kind.UINT, false, null, List.of(new AmfNumber(5))),
                new AmfVector(AmfVector.Kind.DOUBLE, false, null, List.of(new AmfNumber(2.5))),
                new AmfDictionary(false, List.of(new AmfDictionary.Entry(new AmfNumber(1), new AmfString("one"))))));
        List<byte[]> out = new ArrayList<>();
        for (AmfValue v : Bytes.readAmf0(RealCommandsTest.FFMPEG_CONNECT)) {
            out.add(Bytes.amf0(v));
        }
        out.add(Bytes.amf0(everyAmf3));
        out.add(Bytes.amf0(AmfObject.typed("P", "d", new AmfDate(2, -60), "l", new AmfString("q".repeat(300)),
                "x", new AmfXmlDocument("<r/>"), "u", AmfUnsupported.INSTANCE, "n", AmfEcmaArray.of("e", 0))));
        // with references
        out.add(Bytes.of("0A 00000002 | 03 0001 'a' 00 3FF0000000000000 0000 09 | 07 0001"));
        out.add(Bytes.of("11 09 05 01 | 0A 13 0B 'Point' 03 'x' 04 01 | 0A 01 04 02"));
        out.add(Bytes.of("11 09 09 01 | 06 05 'ab' | 06 00 | 09 01 01 | 09 02"));
        return out;
    }

    @Test
    void everyTruncationOfAValueIsAnAmfException() {
        for (byte[] value : singleValues()) {
            assertEquals(1, Bytes.readAmf0(value).size());
            for (int cut = 1; cut < value.length; cut++) {
                byte[] prefix = Arrays.copyOf(value, cut);
                ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(cut);
                try {
                    buf.writeBytes(prefix);
                    new Amf0Reader(AmfLimits.DEFAULT).read(buf);
                    fail("prefix of " + cut + " bytes decoded: " + Bytes.hex(prefix));
                } catch (AmfException expected) {
                    assertEquals(0, buf.readerIndex(), "reader index not rewound");
                } catch (RuntimeException | Error other) {
                    throw new AssertionError("prefix " + Bytes.hex(prefix) + " threw " + other, other);
                } finally {
                    buf.release();
                }
            }
        }
    }

    /** A whole message cut anywhere: a clean prefix of values at value boundaries, else AmfException. */
    @Test
    void truncatedLongStringIsAnAmfException() {
        byte[] value = Bytes.amf0(new AmfString("q".repeat(70_000)));
        for (int cut : new int[] {1, 2, 3, 4, 5, 6, 1000, value.length - 1}) {
            rejected(() -> Bytes.readAmf0(Arrays.copyOf(value, cut)), "truncated AMF0 long string");
        }
    }

    @Test
    void everyTruncationOfAMessageIsAnAmfExceptionOrItsLeadingValues() {
        List<AmfValue> values = Bytes.readAmf0(RealCommandsTest.FFMPEG_CONNECT);
        byte[] message = RealCommandsTest.FFMPEG_CONNECT;
        List<Integer> boundaries = new ArrayList<>();
        int end = 0;
        for (AmfValue v : values) {
            end += Bytes.amf0(v).length;
            boundaries.add(end);
        }
        for (int cut = 1; cut < message.length; cut++) {
            byte[] prefix = Arrays.copyOf(message, cut);
            int whole = boundaries.indexOf(cut);
            if (whole >= 0) {
                assertEquals(values.subList(0, whole + 1), Bytes.readAmf0(prefix));
            } else {
                assertThrows(AmfException.class, () -> Bytes.readAmf0(prefix), "cut at " + cut);
            }
        }
    }

    @Test
    void everyTruncationOfAnAmf3ValueIsAnAmfException() {
        byte[] value = Bytes.of("09 05 01 | 0A 13 0B 'Point' 03 'x' 04 01 | 0A 01 04 02");
        for (int cut = 1; cut < value.length; cut++) {
            byte[] prefix = Arrays.copyOf(value, cut);
            assertThrows(AmfException.class, () -> Bytes.readAmf3(prefix), "cut at " + cut);
        }
    }
}
