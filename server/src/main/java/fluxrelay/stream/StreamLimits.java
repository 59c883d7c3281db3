package fluxrelay.stream;

import java.time.Duration;

/**
 * Bounds of one room's hub.
 *
 * @param gopCacheMaxBytes most payload bytes cached; past it the cache empties until the next keyframe
 * @param gopCacheMaxFrames most frames cached
 * @param maxTimestampJump the largest step forward between two of a publisher's frames taken as it is; a longer
 *     one, or a step back beyond a little reordering, is a discontinuity and the room's timeline is rebased
 */
public record StreamLimits(long gopCacheMaxBytes, int gopCacheMaxFrames, Duration maxTimestampJump) {

    /** The jump bound {@code relay.stream.max-timestamp-jump} defaults to. */
    public static final Duration DEFAULT_MAX_TIMESTAMP_JUMP = Duration.ofSeconds(10);

    public StreamLimits {
        if (gopCacheMaxBytes < 0 || gopCacheMaxFrames < 0) {
            throw new IllegalArgumentException("GOP cache limits must not be negative");
        }
        if (maxTimestampJump.toMillis() < 1 || maxTimestampJump.toMillis() >= 1L << 31) {
            throw new IllegalArgumentException("maxTimestampJump must be from 1 ms to 2^31 ms, got " + maxTimestampJump);
        }
    }

    /** With the default timestamp jump bound. */
    public StreamLimits(long gopCacheMaxBytes, int gopCacheMaxFrames) {
        this(gopCacheMaxBytes, gopCacheMaxFrames, DEFAULT_MAX_TIMESTAMP_JUMP);
    }
}
