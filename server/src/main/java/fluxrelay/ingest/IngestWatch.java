package fluxrelay.ingest;

import fluxrelay.media.VideoFrame;
import fluxrelay.media.codec.CodecFormatException;
import fluxrelay.media.codec.CodecInfo;
import fluxrelay.media.codec.VideoCodecInfo;
import fluxrelay.stream.IngestPolicy;
import java.util.List;

/** Watches a publish against the ingest policy: judges the picture format from the video sequence header. */
final class IngestWatch {

    private final IngestPolicy policy;

    IngestWatch(IngestPolicy policy) {
        this.policy = policy;
    }

    /** The policy's objections to a video sequence header (empty when fine or unreadable). */
    List<String> videoHeader(VideoFrame header) {
        try {
            VideoCodecInfo info = CodecInfo.fromSequenceHeader(header);
            return policy.checkFormat(info.width(), info.height(), info.frameRate());
        } catch (CodecFormatException | IllegalArgumentException e) {
            return List.of();
        }
    }

    /** A warning when the measured video bitrate is outside the recommendation, else null. */
    String bitrate(double videoKbps) {
        return policy.checkBitrate(videoKbps);
    }
}
