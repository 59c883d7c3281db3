package fluxrelay.hls;

import java.time.Duration;

/**
 * How rooms are packaged.
 *
 * @param targetDuration a segment is cut at the first keyframe once it is this long (audio-only: at this length)
 * @param window segments a live playlist lists
 * @param maxSegmentBytes a segment growing past this (no keyframe in sight) is cut at once
 * @param threads packaging threads shared by all rooms
 * @param fmp4 also package an fMP4 Low-Latency HLS rendition beside MPEG-TS
 * @param partTarget the fMP4 rendition's partial segments last at most this long (EXT-X-PART-INF PART-TARGET)
 */
public record PackagerSettings(Duration targetDuration, int window, int maxSegmentBytes, int threads, boolean fmp4,
                               Duration partTarget) {

    /** Default Low-Latency HLS part target. */
    public static final Duration DEFAULT_PART_TARGET = Duration.ofMillis(333);

    public PackagerSettings {
        if (targetDuration.toMillis() < 100 || window < 1 || maxSegmentBytes < 64 * 1024 || threads < 1
                || partTarget.toMillis() < 50 || partTarget.compareTo(targetDuration) > 0) {
            throw new IllegalArgumentException("packager settings out of range");
        }
    }

    /** MPEG-TS only. */
    public PackagerSettings(Duration targetDuration, int window, int maxSegmentBytes, int threads) {
        this(targetDuration, window, maxSegmentBytes, threads, false,
                DEFAULT_PART_TARGET.compareTo(targetDuration) > 0 ? targetDuration : DEFAULT_PART_TARGET);
    }

    /** EXT-X-TARGETDURATION's floor: the target duration in whole seconds, rounded up. */
    public int targetDurationSeconds() {
        return (int) Math.max(1, (targetDuration.toMillis() + 999) / 1000);
    }
}
