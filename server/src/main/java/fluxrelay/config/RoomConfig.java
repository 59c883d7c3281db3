package fluxrelay.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * One room as declared in {@code relay.rooms} (or the demo room).
 *
 * @param id public id, used in viewer URLs
 * @param title human title
 * @param app the FMS application name in the encoder's URL
 * @param inputs the room's inputs (feeds), at least one; a room declared with {@code stream-name} has one, "main"
 * @param autoLive shown to viewers as soon as the publisher starts
 * @param requiredMbps the room's own bandwidth requirement, Mbit/s, or null for {@code relay.bandwidth.required-mbps}
 * @param bandwidthPolicy the room's own bandwidth policy, or null for {@code relay.bandwidth.policy}
 * @param hls the room's HLS renditions, or null for the default of {@code relay.hls.fmp4}
 * @param viewerAccess who may watch the room, or null for {@code relay.access.default}
 * @param record whether the room's sessions are recorded, or null for {@code relay.recording.enabled}
 * @param recordStart when its recordings start, or null for {@code relay.recording.start}
 * @param program the room's own failover and failback settings; null fields follow {@code relay.program}
 * @param dvrWindow the room's own live DVR window ({@code dvr-window}), or null for {@code relay.recording.dvr-window}
 * @param renditions stream names bound as renditions of the room's program ({@code renditions}), maybe none
 * @param ladder lower renditions the server makes from the program ({@code ladder}), maybe none
 */
public record RoomConfig(String id, String title, String app, List<InputConfig> inputs, boolean autoLive, Double requiredMbps,
                         BandwidthConfig.Policy bandwidthPolicy, Hls hls, AccessConfig.Mode viewerAccess, Boolean record,
                         RecordingConfig.Start recordStart, Program program, Duration dvrWindow,
                         List<RenditionInputConfig> renditions, List<LadderRungConfig> ladder) {

    /**
     * A room's own {@code failover-after}, {@code failback-after} and {@code failback}; each null when not set.
     *
     * @param autoFailback true for {@code failback = auto}, false for {@code manual}
     */
    public record Program(Duration failoverAfter, Duration failbackAfter, Boolean autoFailback) {

        /** Nothing set: the room follows {@code relay.program}. */
        public static final Program NONE = new Program(null, null, null);
    }

    /** Which HLS renditions a room is packaged to ({@code hls} of a room). */
    public enum Hls {
        /** MPEG-TS at {@code index.m3u8} and fMP4 low-latency at {@code ll.m3u8}. */
        BOTH,
        /** MPEG-TS only. */
        TS,
        /** fMP4 low-latency only. */
        FMP4;

        /** The configuration spelling. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public RoomConfig {
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("room " + id + " has no input");
        }
        program = program == null ? Program.NONE : program;
        renditions = renditions == null ? List.of() : List.copyOf(renditions);
        ladder = ladder == null ? List.of() : List.copyOf(ladder);
    }

    /** A room without a server-side ladder. */
    public RoomConfig(String id, String title, String app, List<InputConfig> inputs, boolean autoLive, Double requiredMbps,
                      BandwidthConfig.Policy bandwidthPolicy, Hls hls, AccessConfig.Mode viewerAccess, Boolean record,
                      RecordingConfig.Start recordStart, Program program, Duration dvrWindow,
                      List<RenditionInputConfig> renditions) {
        this(id, title, app, inputs, autoLive, requiredMbps, bandwidthPolicy, hls, viewerAccess, record, recordStart, program,
                dvrWindow, renditions, List.of());
    }

    /** A room without rendition stream names. */
    public RoomConfig(String id, String title, String app, List<InputConfig> inputs, boolean autoLive, Double requiredMbps,
                      BandwidthConfig.Policy bandwidthPolicy, Hls hls, AccessConfig.Mode viewerAccess, Boolean record,
                      RecordingConfig.Start recordStart, Program program, Duration dvrWindow) {
        this(id, title, app, inputs, autoLive, requiredMbps, bandwidthPolicy, hls, viewerAccess, record, recordStart, program,
                dvrWindow, List.of());
    }

    /** A room with the default live DVR window. */
    public RoomConfig(String id, String title, String app, List<InputConfig> inputs, boolean autoLive, Double requiredMbps,
                      BandwidthConfig.Policy bandwidthPolicy, Hls hls, AccessConfig.Mode viewerAccess, Boolean record,
                      RecordingConfig.Start recordStart, Program program) {
        this(id, title, app, inputs, autoLive, requiredMbps, bandwidthPolicy, hls, viewerAccess, record, recordStart, program,
                null);
    }

    /** A room whose recordings start as {@code relay.recording.start} says and that follows {@code relay.program}. */
    public RoomConfig(String id, String title, String app, List<InputConfig> inputs, boolean autoLive, Double requiredMbps,
                      BandwidthConfig.Policy bandwidthPolicy, Hls hls, AccessConfig.Mode viewerAccess, Boolean record) {
        this(id, title, app, inputs, autoLive, requiredMbps, bandwidthPolicy, hls, viewerAccess, record, (RecordingConfig.Start) null,
                Program.NONE);
    }

    /** A room with the default recording choice. */
    public RoomConfig(String id, String title, String app, List<InputConfig> inputs, boolean autoLive, Double requiredMbps,
                      BandwidthConfig.Policy bandwidthPolicy, Hls hls, AccessConfig.Mode viewerAccess) {
        this(id, title, app, inputs, autoLive, requiredMbps, bandwidthPolicy, hls, viewerAccess, null);
    }

    /** A room with the default viewer access. */
    public RoomConfig(String id, String title, String app, List<InputConfig> inputs, boolean autoLive, Double requiredMbps,
                      BandwidthConfig.Policy bandwidthPolicy, Hls hls) {
        this(id, title, app, inputs, autoLive, requiredMbps, bandwidthPolicy, hls, null, null);
    }

    /** A room with one input and the default bandwidth requirement, policy, HLS renditions and viewer access. */
    public RoomConfig(String id, String title, String app, String streamName, boolean autoLive) {
        this(id, title, app, List.of(InputConfig.main(streamName)), autoLive, null, null, null, null, null);
    }

    /** The publish key of the room's first input: the room's only one when it was declared with {@code stream-name}. */
    public String streamName() {
        return inputs.get(0).streamName();
    }

    @Override
    public String toString() {
        // The stream names are secrets: never printed by accident.
        return "RoomConfig[id=" + id + ", title=" + title + ", app=" + app + ", inputs=" + inputs + ", autoLive=" + autoLive
                + (requiredMbps == null ? "" : ", requiredMbps=" + requiredMbps)
                + (bandwidthPolicy == null ? "" : ", bandwidthPolicy=" + bandwidthPolicy.label())
                + (hls == null ? "" : ", hls=" + hls.label())
                + (viewerAccess == null ? "" : ", viewerAccess=" + viewerAccess.label())
                + (record == null ? "" : ", record=" + record)
                + (recordStart == null ? "" : ", recordStart=" + recordStart.label())
                + (program.equals(Program.NONE) ? "" : ", program=" + program)
                + (dvrWindow == null ? "" : ", dvrWindow=" + dvrWindow)
                + (ladder.isEmpty() ? "" : ", ladder=" + ladder) + "]";
    }
}
