package fluxrelay.config;

/**
 * One room as declared in {@code relay.rooms} (or the demo room).
 *
 * @param id public id, used in viewer URLs
 * @param title human title
 * @param app the FMS application name in the encoder's URL
 * @param streamName the publish key bound to the room (secret)
 * @param autoLive shown to viewers as soon as the publisher starts
 * @param requiredMbps the room's own bandwidth requirement, Mbit/s, or null for {@code relay.bandwidth.required-mbps}
 * @param bandwidthPolicy the room's own bandwidth policy ("enforce", "warn", "off"), or null for the default
 * @param hls the room's HLS renditions ("both", "ts", "fmp4"), or null for the default of {@code relay.hls.fmp4}
 */
public record RoomConfig(String id, String title, String app, String streamName, boolean autoLive, Double requiredMbps,
                         String bandwidthPolicy, String hls) {

    /** A room with the default bandwidth requirement and policy. */
    public RoomConfig(String id, String title, String app, String streamName, boolean autoLive) {
        this(id, title, app, streamName, autoLive, null, null, null);
    }

    /** A room with the default HLS renditions. */
    public RoomConfig(String id, String title, String app, String streamName, boolean autoLive, Double requiredMbps,
                      String bandwidthPolicy) {
        this(id, title, app, streamName, autoLive, requiredMbps, bandwidthPolicy, null);
    }

    @Override
    public String toString() {
        // The stream name is a secret: never printed by accident.
        return "RoomConfig[id=" + id + ", title=" + title + ", app=" + app + ", autoLive=" + autoLive
                + (requiredMbps == null ? "" : ", requiredMbps=" + requiredMbps)
                + (bandwidthPolicy == null ? "" : ", bandwidthPolicy=" + bandwidthPolicy)
                + (hls == null ? "" : ", hls=" + hls) + "]";
    }
}
