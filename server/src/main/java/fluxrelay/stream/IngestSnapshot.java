package fluxrelay.stream;

import fluxrelay.media.codec.AudioCodecInfo;
import fluxrelay.media.codec.VideoCodecInfo;
import java.util.List;

/**
 * The ingest state of the current publish at one moment.
 *
 * @param encoder the encoder's name from its metadata or connect, or null
 * @param video video codec and picture format from the sequence header, or null
 * @param audio audio codec from the sequence header, or null
 * @param warnings policy warnings (outside the live stream rules)
 * @param videoBytes video payload bytes received
 * @param audioBytes audio payload bytes received
 * @param videoFrames video frames received
 * @param audioFrames audio frames received
 * @param keyframes keyframes received
 * @param keyframeIntervalMs distance between the last two keyframes, ms (0 until two were seen)
 * @param videoKbps video bitrate over the last measured second
 * @param audioKbps audio bitrate over the last measured second
 * @param measuredFps video frames per second over the last measured second
 * @param recentKbps video + audio bitrate of each of the last measured seconds (up to ten), oldest first: one second's
 *                   rate jumps with each keyframe, so figures that must be steady (a rendition's need) look at these
 */
public record IngestSnapshot(String encoder, VideoCodecInfo video, AudioCodecInfo audio, List<String> warnings, long videoBytes,
                             long audioBytes, long videoFrames, long audioFrames, long keyframes, long keyframeIntervalMs,
                             double videoKbps, double audioKbps, double measuredFps, List<Double> recentKbps) {

    public IngestSnapshot {
        recentKbps = List.copyOf(recentKbps);
    }

    /** As above without the per-second history (none measured yet). */
    public IngestSnapshot(String encoder, VideoCodecInfo video, AudioCodecInfo audio, List<String> warnings, long videoBytes,
                          long audioBytes, long videoFrames, long audioFrames, long keyframes, long keyframeIntervalMs,
                          double videoKbps, double audioKbps, double measuredFps) {
        this(encoder, video, audio, warnings, videoBytes, audioBytes, videoFrames, audioFrames, keyframes, keyframeIntervalMs,
                videoKbps, audioKbps, measuredFps, List.of());
    }
}
