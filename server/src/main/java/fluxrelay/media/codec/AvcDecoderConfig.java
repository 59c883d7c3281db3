package fluxrelay.media.codec;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * An AVCDecoderConfigurationRecord ({@code avcC}, ISO/IEC 14496-15 5.3.3.1): the body of an
 * H.264 sequence header, with the parameter sets a decoder needs before the first frame.
 *
 * <p>The optional high-profile tail (chroma format, bit depths, SPS extensions) is not read:
 * many encoders omit it and the SPS carries the same facts.
 *
 * @param profileIdc AVCProfileIndication (profile_idc of the SPS)
 * @param profileCompatibility the constraint_set flags byte
 * @param levelIdc AVCLevelIndication
 * @param nalUnitLengthSize size of the NAL unit length prefix in coded frames: 1, 2 or 4
 * @param sps sequence parameter set NAL units (with their NAL header), at least one
 * @param pps picture parameter set NAL units (with their NAL header)
 */
public record AvcDecoderConfig(int profileIdc, int profileCompatibility, int levelIdc, int nalUnitLengthSize,
                               List<byte[]> sps, List<byte[]> pps) {

    private static final int NAL_SPS = 7;
    private static final int NAL_PPS = 8;

    public AvcDecoderConfig {
        sps = List.copyOf(sps);
        pps = List.copyOf(pps);
    }

    /** Parses the readable bytes of {@code data} with absolute reads; its indexes do not move. */
    public static AvcDecoderConfig parse(ByteBuf data) {
        return parse(data, data.readerIndex(), data.readableBytes());
    }

    /** Parses {@code length} bytes of {@code data} from absolute index {@code offset}. */
    public static AvcDecoderConfig parse(ByteBuf data, int offset, int length) {
        ByteCursor in = new ByteCursor(data, offset, length, "avcC");
        int version = in.u8("configurationVersion");
        if (version != 1) {
            throw in.error("configurationVersion " + version + ", expected 1");
        }
        int profile = in.u8("AVCProfileIndication");
        int compatibility = in.u8("profile_compatibility");
        int level = in.u8("AVCLevelIndication");
        int lengthSize = (in.u8("lengthSizeMinusOne") & 0x03) + 1;
        if (lengthSize == 3) {
            throw in.error("NAL unit length size 3 is not allowed");
        }
        int spsCount = in.u8("numOfSequenceParameterSets") & 0x1F;
        if (spsCount == 0) {
            throw in.error("no sequence parameter set");
        }
        List<byte[]> sps = readNalUnits(in, spsCount, NAL_SPS, "SPS");
        int ppsCount = in.u8("numOfPictureParameterSets");
        List<byte[]> pps = readNalUnits(in, ppsCount, NAL_PPS, "PPS");
        return new AvcDecoderConfig(profile, compatibility, level, lengthSize, sps, pps);
    }

    private static List<byte[]> readNalUnits(ByteCursor in, int count, int nalType, String name) {
        List<byte[]> units = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int length = in.u16(name + " length");
            if (length == 0) {
                throw in.error("empty " + name);
            }
            byte[] nal = in.bytes(length, name);
            if ((nal[0] & 0x1F) != nalType) {
                throw in.error(name + " has NAL unit type " + (nal[0] & 0x1F));
            }
            units.add(nal);
        }
        return units;
    }

    /** The first SPS, parsed. */
    public AvcSps firstSps() {
        return AvcSps.parse(sps.get(0));
    }

    /** The RFC 6381 codecs parameter, e.g. {@code avc1.64001f} (ISO/IEC 14496-15 E.3). */
    public String codecString() {
        return String.format("avc1.%02x%02x%02x", profileIdc, profileCompatibility, levelIdc);
    }
}
