package fluxrelay.hls.ts;

import fluxrelay.media.VideoCodec;
import fluxrelay.media.codec.AnnexB;
import fluxrelay.media.codec.CodecFormatException;
import fluxrelay.media.codec.NalUnitVisitor;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Turns one length-prefixed H.264 or H.265 access unit (as FLV carries it) into the Annex B form a
 * transport stream carries (H.264 Annex B and 7.4.1.2.3, H.265 7.4.2.4.4): an access unit delimiter first,
 * then the parameter sets when the unit is a random access point that lacks them, then its own NAL units
 * (without any delimiter of its own), each after a start code.
 *
 * <p>The unit is checked whole before anything is written, so a malformed one writes nothing.
 */
public final class AccessUnitWriter {

    private static final int START_CODE = 0x00000001;
    /** H.264 access unit delimiter, primary_pic_type 7 (any slice type). */
    private static final byte[] AVC_DELIMITER = {0x09, (byte) 0xF0};
    /** H.265 access unit delimiter (NAL type 35, layer 0, temporal id 1), pic_type 2 (any slice type). */
    private static final byte[] HEVC_DELIMITER = {0x46, 0x01, 0x50};

    private final VideoCodec codec;
    private final int nalLengthSize;
    private final List<byte[]> parameterSets;
    private final Scan scan = new Scan();

    /**
     * @param codec {@link VideoCodec#AVC} or {@link VideoCodec#HEVC}
     * @param nalLengthSize the length prefix size from the decoder configuration record
     * @param parameterSets the configuration's parameter sets in decoding order (VPS, SPS, PPS)
     */
    public AccessUnitWriter(VideoCodec codec, int nalLengthSize, List<byte[]> parameterSets) {
        if (codec != VideoCodec.AVC && codec != VideoCodec.HEVC) {
            throw new IllegalArgumentException("no Annex B form for " + codec);
        }
        this.codec = codec;
        this.nalLengthSize = nalLengthSize;
        this.parameterSets = List.copyOf(parameterSets);
    }

    /**
     * Writes the access unit of {@code length} bytes at {@code offset} in {@code src} to {@code out}.
     *
     * @param keyframe the container marks the unit as a keyframe; the parameter sets go in front of it too
     * @return true when the unit is a random access point (keyframe flag or an IDR/IRAP NAL unit)
     * @throws CodecFormatException when a length prefix runs past the unit; nothing is written then
     */
    public boolean write(ByteBuf src, int offset, int length, boolean keyframe, ByteBuf out) {
        scan.reset();
        AnnexB.forEach(src, offset, length, nalLengthSize, codec, scan);
        if (scan.slices == 0 && scan.others == 0) {
            throw new CodecFormatException("access unit without NAL units");
        }
        boolean randomAccess = keyframe || scan.randomAccess;
        out.writeInt(START_CODE);
        out.writeBytes(codec == VideoCodec.AVC ? AVC_DELIMITER : HEVC_DELIMITER);
        if (randomAccess && !scan.parameterSets) {
            AnnexB.writeNalUnits(parameterSets, out);
        }
        AnnexB.forEach(src, offset, length, nalLengthSize, codec, (type, at, size) -> {
            if (!isDelimiter(type)) {
                out.writeInt(START_CODE);
                out.writeBytes(src, at, size);
            }
        });
        return randomAccess;
    }

    private boolean isDelimiter(int type) {
        return codec == VideoCodec.AVC ? type == 9 : type == 35;
    }

    /** What an access unit holds, found in a first pass that also validates its framing. */
    private final class Scan implements NalUnitVisitor {
        boolean parameterSets;
        boolean randomAccess;
        int slices;
        int others;

        void reset() {
            parameterSets = false;
            randomAccess = false;
            slices = 0;
            others = 0;
        }

        @Override
        public void visit(int type, int offset, int length) {
            if (codec == VideoCodec.AVC) {
                parameterSets |= type == 7;
                randomAccess |= type == 5;
                if (type >= 1 && type <= 5) {
                    slices++;
                    return;
                }
            } else {
                parameterSets |= type == 33;
                randomAccess |= type >= 16 && type <= 21;
                if (type <= 21) {
                    slices++;
                    return;
                }
            }
            others++;
        }
    }
}
