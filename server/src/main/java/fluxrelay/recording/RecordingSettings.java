package fluxrelay.recording;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The recorder's limits ({@code relay.recording}).
 *
 * @param directory where fragment files, MP4s and their catalogue entries live
 * @param grace a publisher back within this keeps writing the same file; after it the recording ends
 * @param fragment a fragment is cut at the first keyframe once this long (at twice this without one)
 * @param maxAge ready recordings older than this are deleted; zero keeps them
 * @param maxTotalBytes the oldest ready recordings are deleted while all of them take more; zero for no limit
 * @param minFreeBytes below this much free space no recording starts and running ones end
 * @param threads recording threads shared by all rooms
 * @param checkInterval how often free space and retention are checked
 */
public record RecordingSettings(Path directory, Duration grace, Duration fragment, Duration maxAge, long maxTotalBytes,
                                long minFreeBytes, int threads, Duration checkInterval) {

    public RecordingSettings {
        if (threads < 1 || grace.isNegative() || fragment.toMillis() < 100 || maxAge.isNegative() || maxTotalBytes < 0
                || minFreeBytes < 0 || checkInterval.toMillis() < 10) {
            throw new IllegalArgumentException("recording settings out of range");
        }
    }
}
