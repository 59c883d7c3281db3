package fluxrelay.media.codec;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * An HEVCDecoderConfigurationRecord ({@code hvcC}, ISO/IEC 14496-15 8.3.3.1): the body of an
 * H.265 sequence header (Enhanced RTMP {@code hvc1} SequenceStart, or legacy CodecID 12).
 *
 * <p>NAL unit arrays other than VPS, SPS and PPS (SEI, for example) are read past and dropped.
 *
 * @param profileSpace general_profile_space
 * @param highTier general_tier_flag
 * @param profileIdc general_profile_idc (1 Main, 2 Main 10, ...)
 * @param profileCompatibilityFlags general_profile_compatibility_flags, bit 31 is flag 0
 * @param constraintIndicatorFlags the 48 general constraint indicator flags
 * @param levelIdc general_level_idc (30 times the level number)
 * @param chromaFormat chroma_format_idc
 * @param bitDepthLuma luma bit depth
 * @param bitDepthChroma chroma bit depth
 * @param nalUnitLengthSize size of the NAL unit length prefix in coded frames: 1, 2 or 4
 * @param vps video parameter set NAL units (with their 2-byte NAL header)
 * @param sps sequence parameter set NAL units, at least one
 * @param pps picture parameter set NAL units
 */
public record HevcDecoderConfig(int profileSpace, boolean highTier, int profileIdc, int profileCompatibilityFlags,
                                long constraintIndicatorFlags, int levelIdc, int chromaFormat, int bitDepthLuma,
                                int bitDepthChroma, int nalUnitLengthSize,
                                List<byte[]> vps, List<byte[]> sps, List<byte[]> pps) {

    static final int NAL_VPS = 32;
    static final int NAL_SPS = 33;
    static final int NAL_PPS = 34;

    public HevcDecoderConfig {
        vps = List.copyOf(vps);
        sps = List.copyOf(sps);
        pps = List.copyOf(pps);
    }

    /** Parses the readable bytes of {@code data} with absolute reads; its indexes do not move. */
    public static HevcDecoderConfig parse(ByteBuf data) {
        return parse(data, data.readerIndex(), data.readableBytes());
    }

    /** Parses {@code length} bytes of {@code data} from absolute index {@code offset}. */
    public static HevcDecoderConfig parse(ByteBuf data, int offset, int length) {
        ByteCursor in = new ByteCursor(data, offset, length, "hvcC");
        int version = in.u8("configurationVersion");
        if (version != 1) {
            throw in.error("configurationVersion " + version + ", expected 1");
        }
        int ptl = in.u8("general_profile_idc");
        int compatibility = (int) in.u32("general_profile_compatibility_flags");
        long constraints = in.u48("general_constraint_indicator_flags");
        int level = in.u8("general_level_idc");
        in.skip(3, "min_spatial_segmentation_idc, parallelismType");
        int chroma = in.u8("chroma_format_idc") & 0x03;
        int bitDepthLuma = (in.u8("bit_depth_luma_minus8") & 0x07) + 8;
        int bitDepthChroma = (in.u8("bit_depth_chroma_minus8") & 0x07) + 8;
        in.skip(2, "avgFrameRate");
        int lengthSize = (in.u8("lengthSizeMinusOne") & 0x03) + 1;
        if (lengthSize == 3) {
            throw in.error("NAL unit length size 3 is not allowed");
        }
        List<byte[]> vps = new ArrayList<>();
        List<byte[]> sps = new ArrayList<>();
        List<byte[]> pps = new ArrayList<>();
        int arrays = in.u8("numOfArrays");
        for (int a = 0; a < arrays; a++) {
            int type = in.u8("NAL_unit_type") & 0x3F;
            int count = in.u16("numNalus");
            List<byte[]> target = switch (type) {
                case NAL_VPS -> vps;
                case NAL_SPS -> sps;
                case NAL_PPS -> pps;
                default -> null;
            };
            for (int i = 0; i < count; i++) {
                int nalLength = in.u16("nalUnitLength");
                if (nalLength < 2) {
                    throw in.error("NAL unit of " + nalLength + " bytes in array of type " + type);
                }
                if (target == null) {
                    in.skip(nalLength, "NAL unit");
                    continue;
                }
                byte[] nal = in.bytes(nalLength, "NAL unit");
                int nalType = (nal[0] >> 1) & 0x3F;
                if (nalType != type) {
                    throw in.error("NAL unit of type " + nalType + " in array of type " + type);
                }
                target.add(nal);
            }
        }
        if (sps.isEmpty()) {
            throw in.error("no sequence parameter set");
        }
        return new HevcDecoderConfig(ptl >> 6, (ptl & 0x20) != 0, ptl & 0x1F, compatibility, constraints, level,
                chroma, bitDepthLuma, bitDepthChroma, lengthSize, vps, sps, pps);
    }

    /** The first SPS, parsed. */
    public HevcSps firstSps() {
        return HevcSps.parse(sps.get(0));
    }

    /**
     * The RFC 6381 codecs parameter (ISO/IEC 14496-15 E.3), e.g. {@code hvc1.1.6.L93.B0}: profile
     * space and idc, compatibility flags bit-reversed, tier and level, constraint bytes without
     * trailing zero bytes.
     */
    public String codecString() {
        StringBuilder out = new StringBuilder("hvc1.");
        if (profileSpace > 0) {
            out.append((char) ('A' + profileSpace - 1));
        }
        out.append(profileIdc).append('.');
        out.append(Integer.toHexString(Integer.reverse(profileCompatibilityFlags)).toUpperCase());
        out.append('.').append(highTier ? 'H' : 'L').append(levelIdc);
        int lastNonZero = -1;
        for (int i = 0; i < 6; i++) {
            if (constraintByte(i) != 0) {
                lastNonZero = i;
            }
        }
        for (int i = 0; i <= lastNonZero; i++) {
            out.append('.').append(Integer.toHexString(constraintByte(i)).toUpperCase());
        }
        return out.toString();
    }

    private int constraintByte(int i) {
        return (int) (constraintIndicatorFlags >>> (40 - 8 * i)) & 0xFF;
    }

    /** Profile name for display, e.g. {@code Main} (H.265 Annex A.3). */
    public String profileName() {
        return HevcSps.profileName(profileIdc);
    }

    /** Level for display, e.g. {@code 3.1}. */
    public String levelName() {
        return HevcSps.levelName(levelIdc);
    }
}
