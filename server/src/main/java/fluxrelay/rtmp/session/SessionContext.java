package fluxrelay.rtmp.session;

import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.egress.ChannelViewer;
import fluxrelay.egress.EgressCounters;
import fluxrelay.egress.ViewerLimits;
import fluxrelay.ingest.IngestService;
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
 */
public record SessionContext(IngestService ingest, PlaybackService playback, SessionSettings settings,
                             ViewerLimits viewerLimits, EgressCounters egress, SessionEvents events, ActivityListener activity,
                             BandwidthRegistry bandwidth) {

    /** How monitored viewers are sampled. */
    public ChannelViewer.Monitoring monitoring() {
        var monitor = bandwidth.settings().monitor();
        return new ChannelViewer.Monitoring(monitor.interval().toNanos(), monitor.unsentLimitBytes());
    }
}
