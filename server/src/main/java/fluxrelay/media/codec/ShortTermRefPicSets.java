package fluxrelay.media.codec;

import java.util.Arrays;

/**
 * Reads the short-term reference picture sets of an H.265 SPS (7.3.7) only to get past them: how
 * many flags an inter-predicted set has depends on the set before it (7.4.8, equations 7-61 and
 * 7-62), so each set's negative and positive delta POCs are derived while reading.
 */
final class ShortTermRefPicSets {

    private static final int MAX_SETS = 64;
    private static final int MAX_PICS = 16;
    private static final int MAX_DELTA = 1 << 15;

    private final BitReader in;

    ShortTermRefPicSets(BitReader in) {
        this.in = in;
    }

    /** Reads num_short_term_ref_pic_sets and every st_ref_pic_set that follows. */
    void readAll() {
        int count = in.readUe("num_short_term_ref_pic_sets", MAX_SETS);
        int[] s0 = new int[0];
        int[] s1 = new int[0];
        for (int idx = 0; idx < count; idx++) {
            int[][] set = idx != 0 && in.readFlag() ? readPredicted(s0, s1) : readExplicit();
            s0 = set[0];
            s1 = set[1];
        }
    }

    /** A set predicted from the one before it (delta_idx_minus1 is absent in the SPS). */
    private int[][] readPredicted(int[] refS0, int[] refS1) {
        int sign = in.readBit();
        int abs = in.readUe("abs_delta_rps_minus1", MAX_DELTA - 1) + 1;
        int deltaRps = sign == 1 ? -abs : abs;
        int refCount = refS0.length + refS1.length;
        boolean[] useDelta = new boolean[refCount + 1];
        for (int j = 0; j <= refCount; j++) {
            boolean used = in.readFlag(); // used_by_curr_pic_flag
            useDelta[j] = used || in.readFlag(); // use_delta_flag, inferred 1 when absent
        }
        int[] s0 = new int[refCount + 1];
        int[] s1 = new int[refCount + 1];
        int n0 = 0;
        int n1 = 0;
        for (int j = refS1.length - 1; j >= 0; j--) { // 7-61
            int poc = refS1[j] + deltaRps;
            if (poc < 0 && useDelta[refS0.length + j]) {
                s0[n0++] = poc;
            }
        }
        if (deltaRps < 0 && useDelta[refCount]) {
            s0[n0++] = deltaRps;
        }
        for (int j = 0; j < refS0.length; j++) {
            int poc = refS0[j] + deltaRps;
            if (poc < 0 && useDelta[j]) {
                s0[n0++] = poc;
            }
        }
        for (int j = refS0.length - 1; j >= 0; j--) { // 7-62
            int poc = refS0[j] + deltaRps;
            if (poc > 0 && useDelta[j]) {
                s1[n1++] = poc;
            }
        }
        if (deltaRps > 0 && useDelta[refCount]) {
            s1[n1++] = deltaRps;
        }
        for (int j = 0; j < refS1.length; j++) {
            int poc = refS1[j] + deltaRps;
            if (poc > 0 && useDelta[refS0.length + j]) {
                s1[n1++] = poc;
            }
        }
        if (n0 > MAX_PICS || n1 > MAX_PICS) {
            throw new CodecFormatException("HEVC SPS: predicted reference picture set too large: " + n0 + "+" + n1);
        }
        return new int[][] {Arrays.copyOf(s0, n0), Arrays.copyOf(s1, n1)};
    }

    private int[][] readExplicit() {
        int[] s0 = new int[in.readUe("num_negative_pics", MAX_PICS)];
        int[] s1 = new int[in.readUe("num_positive_pics", MAX_PICS)];
        int poc = 0;
        for (int i = 0; i < s0.length; i++) {
            poc -= in.readUe("delta_poc_s0_minus1", MAX_DELTA - 1) + 1;
            s0[i] = poc;
            in.readFlag(); // used_by_curr_pic_s0_flag
        }
        poc = 0;
        for (int i = 0; i < s1.length; i++) {
            poc += in.readUe("delta_poc_s1_minus1", MAX_DELTA - 1) + 1;
            s1[i] = poc;
            in.readFlag(); // used_by_curr_pic_s1_flag
        }
        return new int[][] {s0, s1};
    }
}
