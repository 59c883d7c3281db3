package fluxrelay.rtmp.session;

import fluxrelay.media.ScriptFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.media.codec.CodecFormatException;
import fluxrelay.media.codec.CodecInfo;
import fluxrelay.media.codec.VideoCodecInfo;
import fluxrelay.stream.IngestPolicy;
import java.util.List;

/**
 * Watches a publish against the ingest policy: reads the video sequence header (codec, resolution,
 * frame rate) and the metadata the encoder announces.
 */
final class IngestWatch {

    private final IngestPolicy policy;
    private volatile VideoCodecInfo video;

    IngestWatch(IngestPolicy policy) {
        this.policy = policy;
    }

    /** Reads a video sequence header; returns the policy's objections (empty when fine). */
    List<String> videoHeader(VideoFrame header) {
        try {
            VideoCodecInfo info = CodecInfo.fromSequenceHeader(header);
            video = info;
            return policy.checkFormat(info.width(), info.height(), info.frameRate());
        } catch (CodecFormatException e) {
            return List.of();
        }
    }

    void metadata(ScriptFrame metadata) {
        // Metadata is advisory; the sequence header is what the policy judges.
    }

    /** The video format last seen, or null. */
    VideoCodecInfo video() {
        return video;
    }
}
