package fluxrelay.media.codec;

import fluxrelay.media.VideoCodec;

/**
 * What a room state shows about a video track, read from its sequence header.
 *
 * @param codec the codec
 * @param codecString RFC 6381 codecs parameter ({@code avc1.64001f}); the bare FourCC where the
 *     header is not parsed
 * @param profile profile name, e.g. {@code High}; empty when unknown
 * @param level level, e.g. {@code 3.1}; empty when unknown
 * @param width displayed width in pixels, 0 when unknown
 * @param height displayed height in pixels, 0 when unknown
 * @param frameRate frames per second as signalled in the stream, {@link Double#NaN} when unknown
 */
public record VideoCodecInfo(VideoCodec codec, String codecString, String profile, String level,
                             int width, int height, double frameRate) {

    /** What is known of a codec whose configuration is not parsed here. */
    public static VideoCodecInfo unknown(VideoCodec codec) {
        return new VideoCodecInfo(codec, codec.fourCc(), "", "", 0, 0, Double.NaN);
    }
}
