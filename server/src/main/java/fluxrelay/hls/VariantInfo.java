package fluxrelay.hls;

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
 */
public record VariantInfo(long bandwidth, long averageBandwidth, List<String> codecs, int width, int height, double frameRate) {

    public VariantInfo {
        codecs = List.copyOf(codecs);
    }
}
