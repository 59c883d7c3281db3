package fluxrelay.hls;

import java.time.Duration;

/**
 * How rooms are packaged.
 *
 * @param targetDuration a segment is cut at the first keyframe once it is this long (audio-only: at this length)
 * @param window segments a live playlist lists
 * @param maxSegmentBytes a segment growing past this (no keyframe in sight) is cut at once
 * @param threads packaging threads shared by all rooms
 */
public record PackagerSettings(Duration targetDuration, int window, int maxSegmentBytes, int threads) {

    public PackagerSettings {
        if (targetDuration.toMillis() < 100 || window < 1 || maxSegmentBytes < 64 * 1024 || threads < 1) {
            throw new IllegalArgumentException("packager settings out of range");
        }
    }

    /** EXT-X-TARGETDURATION's floor: the target duration in whole seconds, rounded up. */
    public int targetDurationSeconds() {
        return (int) Math.max(1, (targetDuration.toMillis() + 999) / 1000);
    }
}
