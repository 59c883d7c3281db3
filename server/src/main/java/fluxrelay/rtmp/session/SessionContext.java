package fluxrelay.rtmp.session;

import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.egress.ChannelViewer;
import fluxrelay.egress.EgressCounters;
import fluxrelay.egress.ViewerLimits;
import fluxrelay.rooms.ActivityListener;
import fluxrelay.rooms.PublishAuthorizer;
import fluxrelay.rooms.PublishGate;
import fluxrelay.rooms.PublishAttemptLimiter;
import fluxrelay.rooms.RoomRegistry;
import fluxrelay.stream.IngestPolicy;

/**
 * What every RTMP session shares: the rooms, publish authorization, the stream hubs and the limits.
 * Built once by the composition root.
 *
 * @param rooms room bindings, for playback names
 * @param authorizer decides on publishes
 * @param streams the room hubs
 * @param ingestPolicy the platform's live stream rules
 * @param settings per-connection behaviour
 * @param viewerLimits how viewers are fed
 * @param egress totals of what RTMP viewers were sent
 * @param events where session events are counted
 * @param gate decides on publishes (the bindings, or a platform webhook in front of them)
 * @param activity told of publishes and plays ending or starting
 * @param attempts slows stream-key guessing per address
 * @param bandwidth per-room bandwidth requirements, detection sizing and viewer monitoring
 */
public record SessionContext(RoomRegistry rooms, PublishAuthorizer authorizer, StreamDirectory streams,
                             IngestPolicy ingestPolicy, SessionSettings settings, ViewerLimits viewerLimits,
                             EgressCounters egress, SessionEvents events, PublishGate gate, ActivityListener activity,
                             PublishAttemptLimiter attempts, BandwidthRegistry bandwidth) {

    /** A context without bandwidth checks. */
    public SessionContext(RoomRegistry rooms, PublishAuthorizer authorizer, StreamDirectory streams,
                          IngestPolicy ingestPolicy, SessionSettings settings, ViewerLimits viewerLimits,
                          EgressCounters egress, SessionEvents events, PublishGate gate, ActivityListener activity,
                          PublishAttemptLimiter attempts) {
        this(rooms, authorizer, streams, ingestPolicy, settings, viewerLimits, egress, events, gate, activity, attempts,
                BandwidthRegistry.disabled());
    }

    /** How monitored viewers are sampled. */
    public ChannelViewer.Monitoring monitoring() {
        var monitor = bandwidth.settings().monitor();
        return new ChannelViewer.Monitoring(monitor.interval().toNanos(), monitor.unsentLimitBytes());
    }
}
