package fluxrelay.bandwidth;

import java.time.Instant;

/**
 * A judged measurement of one viewer's link against a room's requirement.
 *
 * @param at when it was judged
 * @param roomId the room
 * @param viewer the viewer's remote address, for logs and the admin view
 * @param source detection, probe, token or playback monitoring
 * @param measurement what was measured
 * @param requiredBitsPerSecond what the room needed at that moment
 * @param ok the measurement met the requirement
 */
public record BandwidthVerdict(Instant at, String roomId, String viewer, VerdictSource source, Measurement measurement,
                               long requiredBitsPerSecond, boolean ok) {

    /** Judges {@code measurement} against {@code requirement}. */
    public static BandwidthVerdict judge(Instant at, String roomId, String viewer, VerdictSource source,
                                         Measurement measurement, BandwidthRequirement requirement) {
        boolean ok = measurement.complete() && requirement.metBy(measurement.bitsPerSecond());
        return new BandwidthVerdict(at, roomId, viewer, source, measurement, requirement.bitsPerSecond(), ok);
    }

    /** "ok" or "below", as JSON and logs say it. */
    public String label() {
        return ok ? "ok" : "below";
    }

    /** "measured 1.9 Mbit/s, required 3.0 Mbit/s": the figures a refused viewer is told. */
    public String figures() {
        return String.format(java.util.Locale.ROOT, "measured %.1f Mbit/s, required %.1f Mbit/s", measurement.mbps(),
                requiredBitsPerSecond / 1e6);
    }
}
