package fluxrelay.admin;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A room as an operator writes it (create, update, and the persisted rooms file). Null fields are
 * "not given": defaults on create, unchanged on update.
 *
 * @param id public id (create only)
 * @param title human title
 * @param app FMS application name
 * @param streamName publish key of a one-input room; generated when absent on create (exclusive with {@code inputs})
 * @param autoLive shown as soon as the publisher starts
 * @param requiredMbps the room's own required download rate per viewer, Mbit/s (null: the server default)
 * @param bandwidthPolicy the room's own bandwidth policy: enforce, warn or off (null: the server default)
 * @param inputs the room's inputs, the first being the main one (create only; null: one input, {@code main})
 * @param viewerAccess who may watch: open or token (null: the server default, {@code relay.access.default})
 * @param record whether the room's sessions are recorded (null: the server default, {@code relay.recording.enabled})
 * @param failoverAfter the room's own failover wait, a duration such as "3s" (null: {@code relay.program.failover-after})
 * @param failbackAfter the room's own failback wait (null: {@code relay.program.failback-after})
 * @param failback auto or manual (null: {@code relay.program.failback})
 * @param recordStart when the room's recordings start: publish or go-live (null: the config file room's own
 *     {@code record-start}, else {@code relay.recording.start})
 * @param dvrWindow how much of a session the room's live DVR playlist lists, a duration such as "2h" or "90s", "0s"
 *     for none (null: the config file room's own {@code dvr-window}, else {@code relay.recording.dvr-window})
 * @param renditions stream names bound as renditions of the room's program (null: none on create, unchanged on update)
 * @param ladder the rungs of the room's server-side ladder (null: none on create, unchanged on update)
 */
public record RoomSpec(String id, String title, String app, String streamName, Boolean autoLive, Double requiredMbps,
                       String bandwidthPolicy,
                       @JsonInclude(JsonInclude.Include.NON_NULL) java.util.List<InputSpec> inputs,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String viewerAccess,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Boolean record,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String failoverAfter,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String failbackAfter,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String failback,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String recordStart,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String dvrWindow,
                       @JsonInclude(JsonInclude.Include.NON_NULL) java.util.List<RenditionSpec> renditions,
                       @JsonInclude(JsonInclude.Include.NON_NULL) java.util.List<RungSpec> ladder) {

    /** A room without renditions bound to stream names and without a ladder. */
    public RoomSpec(String id, String title, String app, String streamName, Boolean autoLive, Double requiredMbps,
                    String bandwidthPolicy, java.util.List<InputSpec> inputs, String viewerAccess, Boolean record,
                    String failoverAfter, String failbackAfter, String failback, String recordStart, String dvrWindow) {
        this(id, title, app, streamName, autoLive, requiredMbps, bandwidthPolicy, inputs, viewerAccess, record, failoverAfter,
                failbackAfter, failback, recordStart, dvrWindow, null, null);
    }

    /** A room whose live DVR window is the server's default. */
    public RoomSpec(String id, String title, String app, String streamName, Boolean autoLive, Double requiredMbps,
                    String bandwidthPolicy, java.util.List<InputSpec> inputs, String viewerAccess, Boolean record,
                    String failoverAfter, String failbackAfter, String failback, String recordStart) {
        this(id, title, app, streamName, autoLive, requiredMbps, bandwidthPolicy, inputs, viewerAccess, record, failoverAfter,
                failbackAfter, failback, recordStart, null);
    }

    /** A room whose recordings start as the server's default says. */
    public RoomSpec(String id, String title, String app, String streamName, Boolean autoLive, Double requiredMbps,
                    String bandwidthPolicy, java.util.List<InputSpec> inputs, String viewerAccess, Boolean record,
                    String failoverAfter, String failbackAfter, String failback) {
        this(id, title, app, streamName, autoLive, requiredMbps, bandwidthPolicy, inputs, viewerAccess, record, failoverAfter,
                failbackAfter, failback, null);
    }

    /** A room that follows the default recording choice and the server's program switching settings. */
    public RoomSpec(String id, String title, String app, String streamName, Boolean autoLive, Double requiredMbps,
                    String bandwidthPolicy, java.util.List<InputSpec> inputs, String viewerAccess) {
        this(id, title, app, streamName, autoLive, requiredMbps, bandwidthPolicy, inputs, viewerAccess, null, null, null, null);
    }

    /** A room that follows the server's program switching settings. */
    public RoomSpec(String id, String title, String app, String streamName, Boolean autoLive, Double requiredMbps,
                    String bandwidthPolicy, java.util.List<InputSpec> inputs, String viewerAccess, Boolean record) {
        this(id, title, app, streamName, autoLive, requiredMbps, bandwidthPolicy, inputs, viewerAccess, record, null, null, null);
    }

    /** A room that follows the default recording choice. */
    public RoomSpec(String id, String title, String app, String streamName, Boolean autoLive, Double requiredMbps,
                    String bandwidthPolicy, java.util.List<InputSpec> inputs, String viewerAccess, String failoverAfter,
                    String failbackAfter, String failback) {
        this(id, title, app, streamName, autoLive, requiredMbps, bandwidthPolicy, inputs, viewerAccess, null, failoverAfter,
                failbackAfter, failback);
    }

    /** A room that follows the default viewer access. */
    public RoomSpec(String id, String title, String app, String streamName, Boolean autoLive, Double requiredMbps,
                    String bandwidthPolicy, java.util.List<InputSpec> inputs) {
        this(id, title, app, streamName, autoLive, requiredMbps, bandwidthPolicy, inputs, null, null);
    }

    /**
     * The room's own program switching settings these fields give (null fields: not set).
     *
     * @throws AdminException 400 naming the field that is not valid
     */
    public fluxrelay.rooms.ProgramSettings program() {
        return ProgramFields.parse(failoverAfter, failbackAfter, failback);
    }

    /** The fields that follow a server default when unset: bandwidth, viewer access, recording, its start and DVR window. */
    public BandwidthChoice bandwidth() {
        return new BandwidthChoice(requiredMbps, bandwidthPolicy, viewerAccess, record, recordStart, dvrWindow);
    }

    @Override
    public String toString() {
        return "RoomSpec[id=" + id + ", title=" + title + ", app=" + app + ", autoLive=" + autoLive
                + ", requiredMbps=" + requiredMbps + ", bandwidthPolicy=" + bandwidthPolicy + ", inputs=" + inputs
                + ", viewerAccess=" + viewerAccess + ", record=" + record + ", failoverAfter=" + failoverAfter
                + ", failbackAfter=" + failbackAfter + ", failback=" + failback + ", recordStart=" + recordStart
                + ", dvrWindow=" + dvrWindow + ", renditions=" + renditions + ", ladder=" + ladder + "]";
    }
}
