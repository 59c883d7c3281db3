package fluxrelay.media.codec;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Random mutations (fixed seed) of real and synthetic parameter sets and audio configs: the
 * parsers may only answer with a result or a {@link CodecFormatException}.
 */
class ParameterSetFuzzTest {

    private static final long SEED = 0xC0DEC_5EEDL;
    private static final int ROUNDS = 4000;

    @Test
    void avcSps() {
        fuzz(List.of(AvcSpsTest.SPS_720P, AvcSpsTest.SPS_1080P, AvcSpsTest.SPS_444_INTERLACED,
                AvcSpsTest.SPS_BASELINE, AvcSpsTest.SPS_422_POC1_NO_VUI), AvcSps::parse);
    }

    @Test
    void hevcSps() {
        fuzz(List.of(HevcConfigTest.SPS_720P, HevcConfigTest.SPS_422_10BIT, HevcConfigTest.SPS_SYNTHETIC),
                HevcSps::parse);
    }

    @Test
    void audioSpecificConfig() {
        fuzz(List.of("11 90", "2b 11 88", "17 80 5d c0 10", "f9 46 7f 80 00 00"), AudioSpecificConfig::parse);
    }

    private static void fuzz(List<String> samples, Consumer<byte[]> parser) {
        Random random = new Random(SEED);
        for (String sample : samples) {
            byte[] original = Hex.bytes(sample);
            for (int round = 0; round < ROUNDS; round++) {
                byte[] bytes = original.clone();
                for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                    int at = random.nextInt(bytes.length);
                    bytes[at] = random.nextBoolean() ? (byte) random.nextInt(256) : (byte) (bytes[at] ^ 1 << random.nextInt(8));
                }
                if (random.nextInt(4) == 0) {
                    bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
                }
                try {
                    parser.accept(bytes);
                } catch (CodecFormatException expected) {
                    // the only acceptable failure
                } catch (RuntimeException e) {
                    throw new AssertionError("input " + Hex.of(bytes), e);
                }
            }
        }
    }
}
