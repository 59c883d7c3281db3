package fluxrelay.stream;

import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.media.codec.AudioCodecInfo;
import fluxrelay.media.codec.CodecFormatException;
import fluxrelay.media.codec.CodecInfo;
import fluxrelay.media.codec.VideoCodecInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Live ingest state of one publish: codecs and picture format from the sequence headers, the encoder's
 * name, policy warnings, bytes and frames by kind, bitrates over the last full second and the total rate of each of
 * the last {@value #RATE_HISTORY} seconds, and the keyframe interval. Updated under the stream's lock; read through
 * {@link #snapshot()}.
 */
final class IngestStats {

    /** How many one-second total rates are kept: enough to span a few GOPs of the usual 1 to 4 s. */
    static final int RATE_HISTORY = 10;


    private VideoCodecInfo video;
    private AudioCodecInfo audio;
    private String encoder;
    /** The warning in force per topic (format, bitrate): a newer judgement replaces or clears it. */
    private final java.util.Map<String, String> warnings = new java.util.LinkedHashMap<>();

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
    /** Video + audio kbit/s of the last measured seconds, a ring written at {@code rateCount % RATE_HISTORY}. */
    private final double[] recentKbps = new double[RATE_HISTORY];
    private long rateCount;

    void record(MediaFrame frame, long nowNanos) {
        if (windowStartNanos < 0) {
            windowStartNanos = nowNanos;
        }
        if (frame instanceof VideoFrame header && header.isSequenceHeader()) {
            try {
                video = CodecInfo.fromSequenceHeader(header);
            } catch (CodecFormatException | IllegalArgumentException e) {
                video = VideoCodecInfo.unknown(header.codec());
            }
        } else if (frame instanceof AudioFrame header && header.sequenceHeader()) {
            try {
                audio = CodecInfo.fromSequenceHeader(header);
            } catch (CodecFormatException | IllegalArgumentException e) {
                audio = null;
            }
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
            recentKbps[(int) (rateCount++ % RATE_HISTORY)] = videoKbps + audioKbps;
            windowStartNanos = nowNanos;
            windowVideoBytes = 0;
            windowAudioBytes = 0;
            windowVideoFrames = 0;
        }
    }

    void encoder(String name) {
        encoder = name;
    }

    /** Sets the warning of a topic, or clears it with null. */
    void warn(String topic, String warning) {
        if (warning == null) {
            warnings.remove(topic);
        } else {
            warnings.put(topic, warning);
        }
    }

    IngestSnapshot snapshot() {
        return new IngestSnapshot(encoder, video, audio, List.copyOf(warnings.values()), videoBytes, audioBytes, videoFrames, audioFrames,
                keyframes, keyframeIntervalMs, videoKbps, audioKbps, measuredFps, recent());
    }

    /** The kept one-second total rates, oldest first. */
    private List<Double> recent() {
        int kept = (int) Math.min(rateCount, RATE_HISTORY);
        List<Double> out = new ArrayList<>(kept);
        for (long i = rateCount - kept; i < rateCount; i++) {
            out.add(recentKbps[(int) (i % RATE_HISTORY)]);
        }
        return out;
    }
}
