package fluxrelay.rtmp.session;

import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.egress.ChannelViewer;
import fluxrelay.egress.EgressCounters;
import fluxrelay.egress.ViewerLimits;
import fluxrelay.ingest.IngestService;
import fluxrelay.netty.LoopHandover;
import fluxrelay.playback.PlaybackService;
import fluxrelay.rooms.ActivityListener;

/**
 * What every RTMP session shares: the ingest and playback services it adapts, and how viewers are fed.
 * Built once by the composition root.
 *
 * @param ingest admits publishes and carries them into the hub
 * @param playback admits plays
 * @param settings per-connection behaviour
 * @param viewerLimits how viewers are fed
 * @param egress totals of what RTMP viewers were sent
 * @param events where session events are counted
 * @param activity told of plays starting and ending
 * @param bandwidth detection sizing, token parameter and viewer monitoring
 * @param handover the setup loops connections are accepted onto and leave for a worker loop to play or publish
 */
public record SessionContext(IngestService ingest, PlaybackService playback, SessionSettings settings,
                             ViewerLimits viewerLimits, EgressCounters egress, SessionEvents events, ActivityListener activity,
                             BandwidthRegistry bandwidth, LoopHandover handover) {

    /** Connections that stay on the loop they were accepted onto (no setup loops). */
    public SessionContext(IngestService ingest, PlaybackService playback, SessionSettings settings, ViewerLimits viewerLimits,
                          EgressCounters egress, SessionEvents events, ActivityListener activity, BandwidthRegistry bandwidth) {
        this(ingest, playback, settings, viewerLimits, egress, events, activity, bandwidth, LoopHandover.NONE);
    }

    /** How monitored viewers are sampled. */
    public ChannelViewer.Monitoring monitoring() {
        var monitor = bandwidth.settings().monitor();
        return new ChannelViewer.Monitoring(monitor.interval().toNanos(), monitor.unsentLimitBytes());
    }
}
