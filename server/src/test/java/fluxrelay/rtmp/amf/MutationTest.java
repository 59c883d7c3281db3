package fluxrelay.rtmp.amf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Random mutations of valid bodies (fixed seeds, so failures reproduce): decoding may only ever
 * fail with an AmfException, and whatever decodes must survive re-encoding unchanged in value.
 */
class MutationTest {

    private static final int ITERATIONS = 4000;
    private static final int[] INTERESTING = {0x00, 0x01, 0x02, 0x03, 0x07, 0x08, 0x09, 0x0A, 0x0C, 0x10, 0x11,
        0x7F, 0x80, 0x81, 0xFE, 0xFF};

    /** Hand-written references come first: reference indexes count from the start of the message. */
    private static byte[] amf0Body() {
        return Bytes.concat(Bytes.of("0A 00000002 03 0001 'a' 05 0000 09 07 0001"),
                RealCommandsTest.FFMPEG_CONNECT, Bytes.amf0(
                AmfEcmaArray.of("duration", 0, "width", 1280, "stereo", true, "encoder", "Lavf59.27.100",
                        "when", new AmfDate(1.7e12, 0), "xml", new AmfXmlDocument("<a/>"),
                        "list", AmfStrictArray.of(1, null, AmfUndefined.INSTANCE, AmfObject.typed("T", "v", 2))),
                new AmfByteArray(new byte[] {1, 2, 3}),
                new AmfVector(AmfVector.Kind.OBJECT, false, "", List.of(AmfObject.of("a", 1), AmfEcmaArray.of("k", "v"),
                        new AmfDictionary(false, List.of(new AmfDictionary.Entry(new AmfNumber(1), new AmfXml("<x/>"))))))),
                Bytes.of("11 09 09 01 | 0A 13 0B 'Point' 03 'x' 04 01 | 0A 01 04 02 | 06 05 'ab' | 06 00"));
    }

    private static byte[] amf3Body() {
        return Bytes.concat(Bytes.of("09 09 01 | 0A 13 0B 'Point' 03 'x' 04 01 | 0A 01 04 02 | 06 05 'ab' | 06 00"),
                Bytes.amf3(
                AmfObject.of("a", 1, "s", "text", "d", new AmfDate(5, 0), "l", AmfStrictArray.of(0x4000, -1.5)),
                AmfEcmaArray.of("k", new AmfByteArray(new byte[] {4, 5})),
                new AmfVector(AmfVector.Kind.INT, true, null, List.of(new AmfNumber(7))),
                new AmfVector(AmfVector.Kind.DOUBLE, false, null, List.of(new AmfNumber(0.25)))));
    }

    @Test
    void amf0MutationsOnlyEverFailWithAmfException() {
        fuzz(amf0Body(), 0xF1A5L, Bytes::readAmf0Fast, values -> Bytes.written(out -> Amf0Writer.writeAll(out, values)));
    }

    @Test
    void amf3MutationsOnlyEverFailWithAmfException() {
        fuzz(amf3Body(), 0x0A3FL, Bytes::readAmf3Fast, values -> Bytes.written(out -> Amf3Writer.writeAll(out, values)));
    }

    private static void fuzz(byte[] valid, long seed, Function<byte[], List<AmfValue>> read,
            Function<List<AmfValue>, byte[]> write) {
        assertEquals(read.apply(valid), read.apply(write.apply(read.apply(valid))));
        Random random = new Random(seed);
        int decoded = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = mutate(valid, random);
            List<AmfValue> values;
            try {
                values = read.apply(input);
            } catch (AmfException expected) {
                continue;
            } catch (RuntimeException | Error e) {
                throw new AssertionError("iteration " + i + " input " + Bytes.hex(input) + " threw " + e, e);
            }
            decoded++;
            byte[] again;
            try {
                again = write.apply(values);
            } catch (AmfException notExpressible) {
                continue;
            }
            assertEquals(values, read.apply(again), "iteration " + i + " input " + Bytes.hex(input));
        }
        // some mutations (a changed digit in a string or number) must still decode
        assertEquals(true, decoded > ITERATIONS / 20, "only " + decoded + " mutants decoded");
    }

    private static byte[] mutate(byte[] valid, Random random) {
        byte[] b = valid.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && b.length > 1; e++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(6)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[at] = (byte) INTERESTING[random.nextInt(INTERESTING.length)];
                case 2 -> b[at] = (byte) random.nextInt(256);
                case 3 -> b = Arrays.copyOf(b, at + 1);
                case 4 -> {
                    byte[] shorter = new byte[b.length - 1];
                    System.arraycopy(b, 0, shorter, 0, at);
                    System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
                    b = shorter;
                }
                default -> {
                    byte[] longer = new byte[b.length + 1];
                    System.arraycopy(b, 0, longer, 0, at);
                    longer[at] = (byte) INTERESTING[random.nextInt(INTERESTING.length)];
                    System.arraycopy(b, at, longer, at + 1, b.length - at);
                    b = longer;
                }
            }
        }
        return b;
    }
}
