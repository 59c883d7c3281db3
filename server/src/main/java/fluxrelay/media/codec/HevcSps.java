package fluxrelay.media.codec;

/**
 * The facts of an H.265 sequence parameter set (H.265 7.3.2.2.1, profile_tier_level 7.3.3, VUI
 * E.2.1) that a room state and a packager need: profile, level, the displayed size (after the
 * conformance window) and the frame rate.
 *
 * @param profileSpace general_profile_space
 * @param highTier general_tier_flag
 * @param profileIdc general_profile_idc
 * @param levelIdc general_level_idc
 * @param chromaFormat chroma_format_idc
 * @param bitDepthLuma luma bit depth
 * @param width width in luma samples inside the conformance window
 * @param height height in luma samples inside the conformance window
 * @param frameRate {@code vui_time_scale / vui_num_units_in_tick}, {@link Double#NaN} when not signalled
 */
public record HevcSps(int profileSpace, boolean highTier, int profileIdc, int levelIdc, int chromaFormat,
                      int bitDepthLuma, int width, int height, double frameRate) {

    private static final int MAX_SIZE = 32768;

    /** Parses an SPS NAL unit, 2-byte NAL header included. */
    public static HevcSps parse(byte[] nal) {
        if (nal.length < 3) {
            throw new CodecFormatException("HEVC SPS: " + nal.length + " bytes is too short");
        }
        int nalType = (nal[0] >> 1) & 0x3F;
        if (nalType != HevcDecoderConfig.NAL_SPS) {
            throw new CodecFormatException("HEVC SPS: NAL unit type " + nalType + ", expected 33");
        }
        BitReader in = new BitReader(Rbsp.unescape(nal, 2, nal.length - 2));
        in.skipBits(4); // sps_video_parameter_set_id
        int maxSubLayersMinus1 = in.readBits(3);
        if (maxSubLayersMinus1 > 6) {
            throw new CodecFormatException("HEVC SPS: sps_max_sub_layers_minus1 " + maxSubLayersMinus1 + " > 6");
        }
        in.readFlag(); // sps_temporal_id_nesting_flag

        // profile_tier_level(1, sps_max_sub_layers_minus1), 7.3.3
        int profileSpace = in.readBits(2);
        boolean highTier = in.readFlag();
        int profileIdc = in.readBits(5);
        in.skipBits(32 + 48); // compatibility flags, source/constraint flags
        int levelIdc = in.readBits(8);
        boolean[] subProfile = new boolean[maxSubLayersMinus1];
        boolean[] subLevel = new boolean[maxSubLayersMinus1];
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            subProfile[i] = in.readFlag();
            subLevel[i] = in.readFlag();
        }
        if (maxSubLayersMinus1 > 0) {
            in.skipBits(2L * (8 - maxSubLayersMinus1)); // reserved_zero_2bits
        }
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            in.skipBits((subProfile[i] ? 88 : 0) + (subLevel[i] ? 8 : 0));
        }

        in.readUe("sps_seq_parameter_set_id", 15);
        int chromaFormat = in.readUe("chroma_format_idc", 3);
        boolean separateColourPlanes = chromaFormat == 3 && in.readFlag();
        int width = in.readUe("pic_width_in_luma_samples", MAX_SIZE);
        int height = in.readUe("pic_height_in_luma_samples", MAX_SIZE);
        if (width == 0 || height == 0) {
            throw new CodecFormatException("HEVC SPS: picture size " + width + "x" + height);
        }
        if (in.readFlag()) { // conformance_window_flag; units from Table 6-1
            int chromaArrayType = separateColourPlanes ? 0 : chromaFormat;
            int subWidth = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1;
            int subHeight = chromaArrayType == 1 ? 2 : 1;
            long cropX = (long) subWidth * ((long) in.readUe() + in.readUe());
            long cropY = (long) subHeight * ((long) in.readUe() + in.readUe());
            if (cropX >= width || cropY >= height) {
                throw new CodecFormatException("HEVC SPS: conformance window " + cropX + "x" + cropY
                        + " leaves nothing of " + width + "x" + height);
            }
            width -= (int) cropX;
            height -= (int) cropY;
        }
        int bitDepthLuma = 8 + in.readUe("bit_depth_luma_minus8", 8);
        in.readUe("bit_depth_chroma_minus8", 8);
        int pocLsbBits = 4 + in.readUe("log2_max_pic_order_cnt_lsb_minus4", 12);
        boolean subLayerOrdering = in.readFlag();
        for (int i = subLayerOrdering ? 0 : maxSubLayersMinus1; i <= maxSubLayersMinus1; i++) {
            in.readUe(); // sps_max_dec_pic_buffering_minus1
            in.readUe(); // sps_max_num_reorder_pics
            in.readUe(); // sps_max_latency_increase_plus1
        }
        for (int i = 0; i < 6; i++) {
            in.readUe(); // coding and transform block sizes, transform hierarchy depths
        }
        if (in.readFlag() && in.readFlag()) { // scaling_list_enabled_flag, sps_scaling_list_data_present_flag
            skipScalingListData(in);
        }
        in.skipBits(2); // amp_enabled_flag, sample_adaptive_offset_enabled_flag
        if (in.readFlag()) { // pcm_enabled_flag
            in.skipBits(8); // pcm sample bit depths
            in.readUe();
            in.readUe();
            in.readFlag(); // pcm_loop_filter_disabled_flag
        }
        new ShortTermRefPicSets(in).readAll();
        if (in.readFlag()) { // long_term_ref_pics_present_flag
            int longTerm = in.readUe("num_long_term_ref_pics_sps", 32);
            in.skipBits((long) longTerm * (pocLsbBits + 1));
        }
        in.skipBits(2); // sps_temporal_mvp_enabled_flag, strong_intra_smoothing_enabled_flag
        double frameRate = in.readFlag() ? readVuiFrameRate(in) : Double.NaN;
        return new HevcSps(profileSpace, highTier, profileIdc, levelIdc, chromaFormat, bitDepthLuma,
                width, height, frameRate);
    }

    /** scaling_list_data(), 7.3.4. */
    private static void skipScalingListData(BitReader in) {
        for (int sizeId = 0; sizeId < 4; sizeId++) {
            for (int matrixId = 0; matrixId < 6; matrixId += sizeId == 3 ? 3 : 1) {
                if (!in.readFlag()) { // scaling_list_pred_mode_flag
                    in.readUe(); // scaling_list_pred_matrix_id_delta
                    continue;
                }
                int coefficients = Math.min(64, 1 << (4 + (sizeId << 1)));
                if (sizeId > 1) {
                    in.readSe(); // scaling_list_dc_coef_minus8
                }
                for (int i = 0; i < coefficients; i++) {
                    in.readSe(); // scaling_list_delta_coef
                }
            }
        }
    }

    /** VUI up to its timing info (E.2.1); NaN when there is none. */
    private static double readVuiFrameRate(BitReader in) {
        if (in.readFlag() && in.readBits(8) == 255) { // aspect_ratio_info_present_flag, EXTENDED_SAR
            in.skipBits(32);
        }
        if (in.readFlag()) { // overscan_info_present_flag
            in.readFlag();
        }
        if (in.readFlag()) { // video_signal_type_present_flag
            in.skipBits(4);
            if (in.readFlag()) { // colour_description_present_flag
                in.skipBits(24);
            }
        }
        if (in.readFlag()) { // chroma_loc_info_present_flag
            in.readUe();
            in.readUe();
        }
        in.skipBits(3); // neutral_chroma_indication_flag, field_seq_flag, frame_field_info_present_flag
        if (in.readFlag()) { // default_display_window_flag
            for (int i = 0; i < 4; i++) {
                in.readUe();
            }
        }
        if (!in.readFlag()) { // vui_timing_info_present_flag
            return Double.NaN;
        }
        long unitsInTick = in.readBitsLong(32);
        long timeScale = in.readBitsLong(32);
        return unitsInTick == 0 || timeScale == 0 ? Double.NaN : (double) timeScale / unitsInTick;
    }

    /** Profile name for display, e.g. {@code Main} (H.265 Annex A.3). */
    public String profileName() {
        return profileName(profileIdc);
    }

    /** Level for display, e.g. {@code 3.1}. */
    public String levelName() {
        return levelName(levelIdc);
    }

    static String profileName(int profileIdc) {
        return switch (profileIdc) {
            case 1 -> "Main";
            case 2 -> "Main 10";
            case 3 -> "Main Still Picture";
            case 4 -> "Format Range Extensions";
            case 5 -> "High Throughput";
            case 9 -> "Screen Content Coding Extensions";
            default -> "profile " + profileIdc;
        };
    }

    static String levelName(int levelIdc) {
        int major = levelIdc / 30;
        int minor = (levelIdc % 30) / 3;
        return minor == 0 ? Integer.toString(major) : major + "." + minor;
    }
}
