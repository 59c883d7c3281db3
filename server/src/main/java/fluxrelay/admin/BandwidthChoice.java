package fluxrelay.admin;

import fluxrelay.bandwidth.BandwidthPolicy;
import fluxrelay.bandwidth.BandwidthRequirement;

/**
 * A room's own settings that follow a server default when unset, as an operator or the config file gave them:
 * its bandwidth requirement and policy ({@code relay.bandwidth}), its viewer access ({@code relay.access}) and whether
 * it records ({@code relay.recording}); a null field follows the server default, so a changed default still reaches
 * rooms that never set it.
 *
 * @param requiredMbps the room's required download rate, Mbit/s, or null
 * @param policy "enforce", "warn" or "off", or null
 * @param viewerAccess "open" or "token", or null
 * @param record whether the room's sessions are recorded, or null
 */
public record BandwidthChoice(Double requiredMbps, String policy, String viewerAccess, Boolean record) {

    /** Nothing set: the room follows the defaults. */
    public static final BandwidthChoice NONE = new BandwidthChoice(null, null, null, null);

    /** Bandwidth settings and viewer access; recording follows the default. */
    public BandwidthChoice(Double requiredMbps, String policy, String viewerAccess) {
        this(requiredMbps, policy, viewerAccess, null);
    }

    /** Bandwidth settings only; the viewer access follows the default. */
    public BandwidthChoice(Double requiredMbps, String policy) {
        this(requiredMbps, policy, null, null);
    }

    /** True when the room sets no field. */
    public boolean isEmpty() {
        return requiredMbps == null && policy == null && viewerAccess == null && record == null;
    }

    /** True when the room sets its own bandwidth requirement or policy. */
    public boolean setsBandwidth() {
        return requiredMbps != null || policy != null;
    }

    /** These settings over {@code other}'s: what a PATCH or a persisted room over the config file gives. */
    public BandwidthChoice over(BandwidthChoice other) {
        return new BandwidthChoice(requiredMbps != null ? requiredMbps : other.requiredMbps,
                policy != null ? policy : other.policy, viewerAccess != null ? viewerAccess : other.viewerAccess,
                record != null ? record : other.record);
    }

    /** The requirement the room has with these settings, the rest from {@code defaults}. */
    public BandwidthRequirement requirement(BandwidthRequirement defaults) {
        return BandwidthRequirement.ofMbps(requiredMbps != null ? requiredMbps : defaults.mbps(),
                policy != null ? BandwidthPolicy.parse(policy) : defaults.policy());
    }
}
