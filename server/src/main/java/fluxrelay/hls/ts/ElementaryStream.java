package fluxrelay.hls.ts;

/**
 * One elementary stream of the program: where its packets go and how the PMT announces it.
 *
 * @param pid the packet identifier of its TS packets (0x0010..0x1FFE)
 * @param streamType the PMT stream_type (ISO/IEC 13818-1 Table 2-34), see the constants
 * @param streamId the PES stream_id (Table 2-22): 0xE0 for the first video stream, 0xC0 for the first audio stream
 */
public record ElementaryStream(int pid, int streamType, int streamId) {

    /** ITU-T H.264 video (AVC), Annex B byte stream. */
    public static final int TYPE_H264 = 0x1B;
    /** ITU-T H.265 video (HEVC), Annex B byte stream. */
    public static final int TYPE_H265 = 0x24;
    /** ISO/IEC 13818-7 AAC audio with ADTS framing. */
    public static final int TYPE_AAC_ADTS = 0x0F;
    /** ISO/IEC 11172-3 MPEG-1 audio (MP3 at 32, 44.1 and 48 kHz). */
    public static final int TYPE_MPEG1_AUDIO = 0x03;
    /** ISO/IEC 13818-3 MPEG-2 audio (MP3 at the half rates). */
    public static final int TYPE_MPEG2_AUDIO = 0x04;

    /** PES stream_id of the first video stream. */
    public static final int STREAM_ID_VIDEO = 0xE0;
    /** PES stream_id of the first audio stream. */
    public static final int STREAM_ID_AUDIO = 0xC0;

    public ElementaryStream {
        if (pid < 0x10 || pid > 0x1FFE) {
            throw new IllegalArgumentException("elementary PID out of range: " + pid);
        }
        if (streamType < 1 || streamType > 0xFF || streamId < 0xBD || streamId > 0xEF) {
            throw new IllegalArgumentException("stream_type " + streamType + ", stream_id " + streamId);
        }
    }

    /** True for a video stream_id, whose PES packets may leave PES_packet_length at 0 (2.4.3.7). */
    public boolean isVideo() {
        return (streamId & 0xF0) == 0xE0;
    }
}
