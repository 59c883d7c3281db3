package fluxrelay.media.codec;

/**
 * The facts of an H.264 sequence parameter set (H.264 7.3.2.1.1, VUI E.1.1) that a room state
 * and a packager need: profile, level, chroma format, the displayed size and the frame rate.
 *
 * @param profileIdc profile_idc
 * @param constraintFlags the byte holding constraint_set0..5 flags
 * @param levelIdc level_idc
 * @param chromaFormat chroma_format_idc (0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4)
 * @param bitDepthLuma luma bit depth, 8..14
 * @param width width in pixels after frame cropping
 * @param height height in pixels after frame cropping
 * @param frameRate frames per second from the VUI timing info ({@code time_scale / (2 * num_units_in_tick)}),
 *     {@link Double#NaN} when not signalled
 */
public record AvcSps(int profileIdc, int constraintFlags, int levelIdc, int chromaFormat, int bitDepthLuma,
                     int width, int height, double frameRate) {

    private static final int NAL_SPS = 7;
    private static final int MAX_MBS = 2048;

    /** Parses an SPS NAL unit, NAL header byte included. */
    public static AvcSps parse(byte[] nal) {
        if (nal.length < 4) {
            throw new CodecFormatException("SPS: " + nal.length + " bytes is too short");
        }
        if ((nal[0] & 0x1F) != NAL_SPS) {
            throw new CodecFormatException("SPS: NAL unit type " + (nal[0] & 0x1F) + ", expected 7");
        }
        byte[] rbsp = Rbsp.unescape(nal, 1, nal.length - 1);
        BitReader in = new BitReader(rbsp);
        int profileIdc = in.readBits(8);
        int constraintFlags = in.readBits(8);
        int levelIdc = in.readBits(8);
        in.readUe("seq_parameter_set_id", 31);

        int chromaFormat = 1;
        boolean separateColourPlanes = false;
        int bitDepthLuma = 8;
        if (hasChromaInfo(profileIdc)) {
            chromaFormat = in.readUe("chroma_format_idc", 3);
            if (chromaFormat == 3) {
                separateColourPlanes = in.readFlag();
            }
            bitDepthLuma = 8 + in.readUe("bit_depth_luma_minus8", 6);
            in.readUe("bit_depth_chroma_minus8", 6);
            in.readFlag(); // qpprime_y_zero_transform_bypass_flag
            if (in.readFlag()) { // seq_scaling_matrix_present_flag
                int lists = chromaFormat == 3 ? 12 : 8;
                for (int i = 0; i < lists; i++) {
                    if (in.readFlag()) {
                        skipScalingList(in, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        in.readUe("log2_max_frame_num_minus4", 12);
        int pocType = in.readUe("pic_order_cnt_type", 2);
        if (pocType == 0) {
            in.readUe("log2_max_pic_order_cnt_lsb_minus4", 12);
        } else if (pocType == 1) {
            in.readFlag(); // delta_pic_order_always_zero_flag
            in.readSe(); // offset_for_non_ref_pic
            in.readSe(); // offset_for_top_to_bottom_field
            int cycle = in.readUe("num_ref_frames_in_pic_order_cnt_cycle", 255);
            for (int i = 0; i < cycle; i++) {
                in.readSe();
            }
        }
        in.readUe(); // max_num_ref_frames
        in.readFlag(); // gaps_in_frame_num_value_allowed_flag
        int widthMbs = in.readUe("pic_width_in_mbs_minus1", MAX_MBS - 1) + 1;
        int heightMapUnits = in.readUe("pic_height_in_map_units_minus1", MAX_MBS - 1) + 1;
        boolean frameMbsOnly = in.readFlag();
        if (!frameMbsOnly) {
            in.readFlag(); // mb_adaptive_frame_field_flag
        }
        in.readFlag(); // direct_8x8_inference_flag
        int width = widthMbs * 16;
        int height = (frameMbsOnly ? 1 : 2) * heightMapUnits * 16;
        if (in.readFlag()) { // frame_cropping_flag, cropping units from 7.4.2.1.1
            int chromaArrayType = separateColourPlanes ? 0 : chromaFormat;
            int cropUnitX = chromaArrayType == 0 ? 1 : (chromaFormat == 3 ? 1 : 2);
            int cropUnitY = (chromaArrayType == 0 ? 1 : (chromaFormat == 1 ? 2 : 1)) * (frameMbsOnly ? 1 : 2);
            long cropX = (long) cropUnitX * ((long) in.readUe() + in.readUe());
            long cropY = (long) cropUnitY * ((long) in.readUe() + in.readUe());
            if (cropX >= width || cropY >= height) {
                throw new CodecFormatException("SPS: frame cropping " + cropX + "x" + cropY
                        + " leaves nothing of " + width + "x" + height);
            }
            width -= (int) cropX;
            height -= (int) cropY;
        }
        double frameRate = Double.NaN;
        if (in.readFlag()) { // vui_parameters_present_flag
            frameRate = readVuiFrameRate(in);
        }
        return new AvcSps(profileIdc, constraintFlags, levelIdc, chromaFormat, bitDepthLuma, width, height, frameRate);
    }

    /** Profiles whose SPS carries chroma_format_idc and the rest (7.3.2.1.1). */
    private static boolean hasChromaInfo(int profileIdc) {
        return switch (profileIdc) {
            case 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135 -> true;
            default -> false;
        };
    }

    private static void skipScalingList(BitReader in, int size) {
        int lastScale = 8;
        int nextScale = 8;
        for (int j = 0; j < size; j++) {
            if (nextScale != 0) {
                int delta = in.readSe();
                if (delta < -128 || delta > 127) {
                    throw new CodecFormatException("SPS: delta_scale out of range: " + delta);
                }
                nextScale = (lastScale + delta + 256) % 256;
            }
            lastScale = nextScale == 0 ? lastScale : nextScale;
        }
    }

    /** Reads the VUI up to its timing info (E.1.1); NaN when there is none. */
    private static double readVuiFrameRate(BitReader in) {
        if (in.readFlag()) { // aspect_ratio_info_present_flag
            if (in.readBits(8) == 255) { // Extended_SAR
                in.skipBits(32); // sar_width, sar_height
            }
        }
        if (in.readFlag()) { // overscan_info_present_flag
            in.readFlag();
        }
        if (in.readFlag()) { // video_signal_type_present_flag
            in.skipBits(4); // video_format, video_full_range_flag
            if (in.readFlag()) { // colour_description_present_flag
                in.skipBits(24);
            }
        }
        if (in.readFlag()) { // chroma_loc_info_present_flag
            in.readUe();
            in.readUe();
        }
        if (!in.readFlag()) { // timing_info_present_flag
            return Double.NaN;
        }
        long unitsInTick = in.readBitsLong(32);
        long timeScale = in.readBitsLong(32);
        return unitsInTick == 0 || timeScale == 0 ? Double.NaN : timeScale / (2.0 * unitsInTick);
    }

    /** Profile name for display, e.g. {@code High} (H.264 Annex A.2). */
    public String profileName() {
        return switch (profileIdc) {
            case 66 -> (constraintFlags & 0x40) != 0 ? "Constrained Baseline" : "Baseline";
            case 77 -> "Main";
            case 88 -> "Extended";
            case 100 -> "High";
            case 110 -> "High 10";
            case 122 -> "High 4:2:2";
            case 244 -> "High 4:4:4 Predictive";
            case 44 -> "CAVLC 4:4:4 Intra";
            default -> "profile " + profileIdc;
        };
    }

    /** Level for display, e.g. {@code 3.1}; {@code 1b} where Annex A.3.1 says so. */
    public String levelName() {
        return levelName(profileIdc, constraintFlags, levelIdc);
    }

    static String levelName(int profileIdc, int constraintFlags, int levelIdc) {
        boolean set3 = (constraintFlags & 0x10) != 0;
        if (levelIdc == 9 || (levelIdc == 11 && set3 && (profileIdc == 66 || profileIdc == 77 || profileIdc == 88))) {
            return "1b";
        }
        return levelIdc % 10 == 0 ? Integer.toString(levelIdc / 10) : (levelIdc / 10) + "." + (levelIdc % 10);
    }
}
