package fluxrelay.stream;

/**
 * Bounds of one room's GOP cache.
 *
 * @param gopCacheMaxBytes most payload bytes cached; past it the cache empties until the next keyframe
 * @param gopCacheMaxFrames most frames cached
 */
public record StreamLimits(long gopCacheMaxBytes, int gopCacheMaxFrames) {

    public StreamLimits {
        if (gopCacheMaxBytes < 0 || gopCacheMaxFrames < 0) {
            throw new IllegalArgumentException("GOP cache limits must not be negative");
        }
    }
}
