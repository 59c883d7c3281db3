package fluxrelay.stream;

import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoFrame;
import java.util.concurrent.TimeUnit;

/**
 * Live ingest figures of one publish: bytes and frames by kind, measured bitrates over the last full
 * second, and the keyframe interval. Updated on the publisher's thread under the stream's lock; read
 * through {@link #snapshot()}.
 */
final class IngestStats {

    private long videoBytes;
    private long audioBytes;
    private long videoFrames;
    private long audioFrames;
    private long keyframes;
    private long lastKeyframeTs = -1;
    private long keyframeIntervalMs;
    private long windowStartNanos = -1;
    private long windowVideoBytes;
    private long windowAudioBytes;
    private long windowVideoFrames;
    private double videoKbps;
    private double audioKbps;
    private double measuredFps;

    void record(MediaFrame frame, long nowNanos) {
        if (windowStartNanos < 0) {
            windowStartNanos = nowNanos;
        }
        if (frame instanceof VideoFrame video && !video.isSequenceHeader()) {
            videoBytes += frame.size();
            videoFrames++;
            windowVideoBytes += frame.size();
            windowVideoFrames++;
            if (video.isRandomAccessPoint()) {
                if (lastKeyframeTs >= 0) {
                    keyframeIntervalMs = frame.timestamp() - lastKeyframeTs;
                }
                lastKeyframeTs = frame.timestamp();
                keyframes++;
            }
        } else if (frame instanceof AudioFrame audio && !audio.sequenceHeader()) {
            audioBytes += frame.size();
            audioFrames++;
            windowAudioBytes += frame.size();
        }
        long elapsed = nowNanos - windowStartNanos;
        if (elapsed >= TimeUnit.SECONDS.toNanos(1)) {
            double seconds = elapsed / 1e9;
            videoKbps = windowVideoBytes * 8 / 1000.0 / seconds;
            audioKbps = windowAudioBytes * 8 / 1000.0 / seconds;
            measuredFps = windowVideoFrames / seconds;
            windowStartNanos = nowNanos;
            windowVideoBytes = 0;
            windowAudioBytes = 0;
            windowVideoFrames = 0;
        }
    }

    IngestSnapshot snapshot() {
        return new IngestSnapshot(videoBytes, audioBytes, videoFrames, audioFrames, keyframes, keyframeIntervalMs, videoKbps,
                audioKbps, measuredFps);
    }
}
