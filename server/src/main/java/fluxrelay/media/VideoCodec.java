package fluxrelay.media;

/** Video codecs an FLV or Enhanced RTMP publisher can send (FLV spec E.4.3.1, Enhanced RTMP FourCC). */
public enum VideoCodec {
    SORENSON_H263("h263", false),
    SCREEN_VIDEO("screen", false),
    VP6("vp6", false),
    VP6_ALPHA("vp6a", false),
    SCREEN_VIDEO_2("screen2", false),
    AVC("avc1", true),
    HEVC("hvc1", true),
    AV1("av01", true),
    VP9("vp09", true),
    UNKNOWN("unknown", false);

    private final String fourCc;
    private final boolean hasSequenceHeader;

    VideoCodec(String fourCc, boolean hasSequenceHeader) {
        this.fourCc = fourCc;
        this.hasSequenceHeader = hasSequenceHeader;
    }

    /** Short codec name, the FourCC for Enhanced RTMP codecs. */
    public String fourCc() {
        return fourCc;
    }

    /** True when a decoder needs a sequence header (decoder configuration record) before frames. */
    public boolean hasSequenceHeader() {
        return hasSequenceHeader;
    }
}
