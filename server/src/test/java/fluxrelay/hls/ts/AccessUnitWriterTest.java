package fluxrelay.hls.ts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.media.VideoCodec;
import fluxrelay.media.codec.CodecFormatException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Length-prefixed access units to Annex B with delimiter and parameter sets (H.264 7.4.1.2.3, H.265 7.4.2.4.4). */
class AccessUnitWriterTest {

    private static final byte[] SPS = {0x67, 0x64, 0x00, 0x1F};
    private static final byte[] PPS = {0x68, (byte) 0xEB};
    private final AccessUnitWriter avc = new AccessUnitWriter(VideoCodec.AVC, 4, List.of(SPS, PPS));
    private final ByteBuf out = Unpooled.buffer();

    @AfterEach
    void release() {
        out.release();
    }

    /** NAL units, each after a 4-byte length. */
    private static ByteBuf avcc(String... nalHex) {
        ByteBuf buf = Unpooled.buffer();
        for (String hex : nalHex) {
            byte[] nal = ByteBufUtil.decodeHexDump(hex);
            buf.writeInt(nal.length).writeBytes(nal);
        }
        return buf;
    }

    private String write(AccessUnitWriter writer, ByteBuf unit, boolean keyframe) {
        writer.write(unit, 0, unit.readableBytes(), keyframe, out);
        unit.release();
        return ByteBufUtil.hexDump(out);
    }

    @Test
    void aKeyframeGetsDelimiterThenParameterSetsAndLosesItsOwnDelimiter() {
        String annexB = write(avc, avcc("0910", "0601", "6588"), true);
        assertEquals("0000000109f0" + "000000016764001f" + "0000000168eb" + "000000010601" + "000000016588", annexB);
    }

    @Test
    void aPredictedFrameGetsOnlyTheDelimiter() {
        assertEquals("0000000109f0" + "000000014101", write(avc, avcc("4101"), false));
    }

    @Test
    void parameterSetsAreNotRepeatedWhenTheUnitCarriesThem() {
        assertEquals("0000000109f0" + "000000016742" + "000000016588", write(avc, avcc("6742", "6588"), true));
    }

    @Test
    void anIdrSliceIsARandomAccessPointEvenWithoutTheKeyframeFlag() {
        ByteBuf unit = avcc("6588");
        assertTrue(avc.write(unit, 0, unit.readableBytes(), false, out));
        assertTrue(ByteBufUtil.hexDump(out).contains("6764001f"));
        unit.release();
        ByteBuf predicted = avcc("4101");
        assertFalse(avc.write(predicted, 0, predicted.readableBytes(), false, out));
        predicted.release();
    }

    @Test
    void aMalformedUnitWritesNothing() {
        ByteBuf unit = Unpooled.buffer().writeInt(10).writeByte(0x65);
        assertThrows(CodecFormatException.class, () -> avc.write(unit, 0, unit.readableBytes(), true, out));
        assertEquals(0, out.writerIndex());
        unit.release();
    }

    @Test
    void hevcUsesItsOwnDelimiterAndVpsSpsPps() {
        AccessUnitWriter hevc = new AccessUnitWriter(VideoCodec.HEVC, 4,
                List.of(new byte[] {0x40, 0x01}, new byte[] {0x42, 0x01}, new byte[] {0x44, 0x01}));
        // An IDR_N_LP slice (type 20) after a delimiter (type 35) of its own.
        String annexB = write(hevc, avcc("460150", "2801af"), false);
        assertEquals("00000001460150" + "000000014001" + "000000014201" + "000000014401" + "000000012801af", annexB);
    }
}
