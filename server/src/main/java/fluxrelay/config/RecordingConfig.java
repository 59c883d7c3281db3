package fluxrelay.config;

import java.time.Duration;

/**
 * Recording of live sessions ({@code relay.recording}).
 *
 * @param enabled record rooms that do not say otherwise ({@code record} of a room)
 * @param directory where recordings are written
 * @param grace a publisher back within this keeps the same file
 * @param fragment fragments are cut at the first keyframe once this long
 * @param maxAge finished recordings older than this are deleted; zero keeps them
 * @param maxTotalBytes the oldest finished recordings are deleted while all take more; zero for no limit
 * @param minFreeBytes below this much free space no recording starts and running ones end
 * @param threads recording threads
 * @param checkInterval how often free space and retention are checked
 * @param replayTtl how long a signed replay link opens its recording
 * @param start when a session starts: at the encoder's publish, or once the room is on the air
 * @param dvrWindow how much of a session a recording room's live DVR playlist lists, unless the room says; zero: none
 */
public record RecordingConfig(boolean enabled, String directory, Duration grace, Duration fragment, Duration maxAge,
                              long maxTotalBytes, long minFreeBytes, int threads, Duration checkInterval, Duration replayTtl,
                              Start start, Duration dvrWindow) {

    /** When a recording starts ({@code relay.recording.start}). */
    public enum Start {
        /** When the room's program input publishes, before GO LIVE too: an encoder's warm-up is kept. */
        PUBLISH,
        /** When the room is on the air (auto-live, or GO LIVE): only what viewers could see is kept. */
        GO_LIVE;

        /** The configuration spelling. */
        public String label() {
            return this == PUBLISH ? "publish" : "go-live";
        }
    }

    /** Longest live DVR window: an index entry per fragment is held for up to two windows. */
    public static final Duration MAX_DVR_WINDOW = Duration.ofHours(24);

    /**
     * Shortest non-zero live DVR window with fragments of {@code fragment}: three target durations of the DVR playlist
     * (RFC 8216 6.2.2: a live playlist never lists less), the target being twice the fragment, rounded up to seconds.
     */
    public static Duration shortestDvrWindow(Duration fragment) {
        return Duration.ofSeconds(3L * (int) Math.max(1, (2 * fragment.toMillis() + 999) / 1000));
    }

    public RecordingConfig {
        java.util.Objects.requireNonNull(start, "start");
        java.util.Objects.requireNonNull(dvrWindow, "dvrWindow");
    }

    /** Recording without a live DVR window by default. */
    public RecordingConfig(boolean enabled, String directory, Duration grace, Duration fragment, Duration maxAge,
                           long maxTotalBytes, long minFreeBytes, int threads, Duration checkInterval, Duration replayTtl,
                           Start start) {
        this(enabled, directory, grace, fragment, maxAge, maxTotalBytes, minFreeBytes, threads, checkInterval, replayTtl,
                start, Duration.ZERO);
    }

    /** Recording that starts once the room is on the air. */
    public RecordingConfig(boolean enabled, String directory, Duration grace, Duration fragment, Duration maxAge,
                           long maxTotalBytes, long minFreeBytes, int threads, Duration checkInterval, Duration replayTtl) {
        this(enabled, directory, grace, fragment, maxAge, maxTotalBytes, minFreeBytes, threads, checkInterval, replayTtl,
                Start.GO_LIVE);
    }

    /** When a room's recordings start: its own {@code record-start} when set, else {@link #start}. */
    public Start start(RoomConfig room) {
        return room.recordStart() != null ? room.recordStart() : start;
    }

    /** A room's live DVR window: its own {@code dvr-window} when set, else {@link #dvrWindow}; zero for none. */
    public Duration dvrWindow(RoomConfig room) {
        return room.dvrWindow() != null ? room.dvrWindow() : dvrWindow;
    }

    /** Whether a room records: its own {@code record} key when set, else {@link #enabled}. */
    public boolean records(RoomConfig room) {
        return room.record() != null ? room.record() : enabled;
    }
}
