package fluxrelay.bandwidth;

import java.util.List;

/**
 * A room's bandwidth picture at one moment, for the admin API, metrics and logs.
 *
 * @param roomId the room
 * @param requiredBitsPerSecond the room's requirement
 * @param policy enforce, warn or off
 * @param viewersMeasuring monitored viewers not judged yet
 * @param viewersOk monitored viewers keeping up
 * @param viewersBelow monitored viewers flagged as persistently below
 * @param flagged the current below verdict of each flagged viewer
 * @param flaggedTotal viewers flagged since start
 * @param refusedTotal playback requests refused for bandwidth since start
 * @param disconnectedTotal viewers disconnected for bandwidth since start
 * @param probes HTTP probes completed since start
 * @param detections RTMP bandwidth detections completed since start
 * @param movedDownTotal viewers below the program's requirement given a lower rendition since start
 * @param verdicts verdicts recorded since start, by source and outcome (every pair, zeros included)
 * @param recent the latest verdicts, newest last
 */
public record BandwidthSnapshot(String roomId, long requiredBitsPerSecond, BandwidthPolicy policy, int viewersMeasuring,
                                int viewersOk, int viewersBelow, List<BandwidthVerdict> flagged, long flaggedTotal,
                                long refusedTotal, long disconnectedTotal, long probes, long detections, long movedDownTotal,
                                List<VerdictCount> verdicts, List<BandwidthVerdict> recent) {

    /** How many verdicts of one source had one outcome. */
    public record VerdictCount(VerdictSource source, boolean ok, long count) {
    }

    public BandwidthSnapshot {
        flagged = List.copyOf(flagged);
        verdicts = List.copyOf(verdicts);
        recent = List.copyOf(recent);
    }
}
