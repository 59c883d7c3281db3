package fluxrelay.flv;

import fluxrelay.media.AudioCodec;
import fluxrelay.media.VideoCodec;

/**
 * The FourCC codec identifiers of Enhanced RTMP (VideoFourCc and AudioFourCc of the
 * ExVideoTagHeader and ExAudioTagHeader) and the codecs they name.
 */
public final class FourCc {

    public static final int AVC = of("avc1");
    public static final int HEVC = of("hvc1");
    public static final int AV1 = of("av01");
    public static final int VP9 = of("vp09");
    public static final int AAC = of("mp4a");
    public static final int OPUS = of("Opus");
    public static final int AC3 = of("ac-3");
    public static final int EAC3 = of("ec-3");
    public static final int FLAC = of("fLaC");
    public static final int MP3 = of(".mp3");

    private FourCc() {
    }

    /** The big-endian int of four ASCII characters, as on the wire. */
    public static int of(String chars) {
        if (chars.length() != 4) {
            throw new IllegalArgumentException("a FourCC has 4 characters: " + chars);
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            value = value << 8 | (chars.charAt(i) & 0xFF);
        }
        return value;
    }

    /** The four characters of a FourCC, for logs. */
    public static String toString(int fourCc) {
        char[] chars = new char[4];
        for (int i = 0; i < 4; i++) {
            int c = (fourCc >>> (24 - 8 * i)) & 0xFF;
            chars[i] = c >= 0x20 && c < 0x7F ? (char) c : '?';
        }
        return new String(chars);
    }

    /** The video codec a FourCC names, {@link VideoCodec#UNKNOWN} for any other. */
    public static VideoCodec videoCodec(int fourCc) {
        if (fourCc == AVC) {
            return VideoCodec.AVC;
        } else if (fourCc == HEVC) {
            return VideoCodec.HEVC;
        } else if (fourCc == AV1) {
            return VideoCodec.AV1;
        } else if (fourCc == VP9) {
            return VideoCodec.VP9;
        }
        return VideoCodec.UNKNOWN;
    }

    /** The audio codec a FourCC names, {@link AudioCodec#UNKNOWN} for any other. */
    public static AudioCodec audioCodec(int fourCc) {
        if (fourCc == AAC) {
            return AudioCodec.AAC;
        } else if (fourCc == OPUS) {
            return AudioCodec.OPUS;
        } else if (fourCc == AC3) {
            return AudioCodec.AC3;
        } else if (fourCc == EAC3) {
            return AudioCodec.EAC3;
        } else if (fourCc == FLAC) {
            return AudioCodec.FLAC;
        } else if (fourCc == MP3) {
            return AudioCodec.MP3;
        }
        return AudioCodec.UNKNOWN;
    }
}
