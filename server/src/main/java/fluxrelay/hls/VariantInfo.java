package fluxrelay.hls;

import fluxrelay.media.codec.AudioCodecInfo;
import java.util.List;

/**
 * What the multivariant playlist says about the room's one variant stream (RFC 8216 4.3.4.2).
 *
 * @param bandwidth peak segment bit rate, bit/s (BANDWIDTH)
 * @param averageBandwidth average segment bit rate, bit/s (AVERAGE-BANDWIDTH)
 * @param codecs RFC 6381 codec strings of the tracks the segments carry (CODECS)
 * @param width picture width, 0 without video (RESOLUTION)
 * @param height picture height, 0 without video
 * @param frameRate frames per second, NaN when unknown or without video (FRAME-RATE)
 * @param audio the audio track the segments carry, null without audio or when not known: variants whose audio is
 *     alike are declared one shared audio rendition group ({@link PlaylistWriter#master(List, boolean)})
 */
public record VariantInfo(long bandwidth, long averageBandwidth, List<String> codecs, int width, int height, double frameRate,
                          AudioCodecInfo audio) {

    public VariantInfo {
        codecs = List.copyOf(codecs);
    }

    /** A variant whose audio track is not described (none, or not known). */
    public VariantInfo(long bandwidth, long averageBandwidth, List<String> codecs, int width, int height, double frameRate) {
        this(bandwidth, averageBandwidth, codecs, width, height, frameRate, null);
    }

    /** True when both carry audio of the same codec, sampling rate and channel count. */
    boolean sameAudio(VariantInfo other) {
        return audio != null && other.audio != null && audio.codecString().equals(other.audio.codecString())
                && audio.sampleRate() == other.audio.sampleRate() && audio.channels() == other.audio.channels();
    }
}
