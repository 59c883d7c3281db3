package fluxrelay.rtmp.session;

import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.egress.ChannelViewer;
import fluxrelay.egress.ViewerLimits;
import fluxrelay.rooms.PublishAuthorizer;
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
 * @param bandwidth per-room bandwidth requirements, detection sizing and viewer monitoring
 */
public record SessionContext(RoomRegistry rooms, PublishAuthorizer authorizer, StreamDirectory streams,
                             IngestPolicy ingestPolicy, SessionSettings settings, ViewerLimits viewerLimits,
                             BandwidthRegistry bandwidth) {

    /** A context without bandwidth checks. */
    public SessionContext(RoomRegistry rooms, PublishAuthorizer authorizer, StreamDirectory streams, IngestPolicy ingestPolicy,
                          SessionSettings settings, ViewerLimits viewerLimits) {
        this(rooms, authorizer, streams, ingestPolicy, settings, viewerLimits, BandwidthRegistry.disabled());
    }

    /** How monitored viewers are sampled. */
    public ChannelViewer.Monitoring monitoring() {
        var monitor = bandwidth.settings().monitor();
        return new ChannelViewer.Monitoring(monitor.interval().toNanos(), monitor.unsentLimitBytes());
    }
}
