package fluxrelay.admin;

import fluxrelay.bandwidth.BandwidthPolicy;
import fluxrelay.bandwidth.BandwidthRequirement;

/**
 * A room's own bandwidth settings as an operator or the config file gave them; a null field follows the
 * server default ({@code relay.bandwidth}), so a changed default still reaches rooms that never set it.
 *
 * @param requiredMbps the room's required download rate, Mbit/s, or null
 * @param policy "enforce", "warn" or "off", or null
 */
public record BandwidthChoice(Double requiredMbps, String policy) {

    /** Nothing set: the room follows the defaults. */
    public static final BandwidthChoice NONE = new BandwidthChoice(null, null);

    /** True when the room sets neither field. */
    public boolean isEmpty() {
        return requiredMbps == null && policy == null;
    }

    /** These settings over {@code other}'s: what a PATCH or a persisted room over the config file gives. */
    public BandwidthChoice over(BandwidthChoice other) {
        return new BandwidthChoice(requiredMbps != null ? requiredMbps : other.requiredMbps,
                policy != null ? policy : other.policy);
    }

    /** The requirement the room has with these settings, the rest from {@code defaults}. */
    public BandwidthRequirement requirement(BandwidthRequirement defaults) {
        return BandwidthRequirement.ofMbps(requiredMbps != null ? requiredMbps : defaults.mbps(),
                policy != null ? BandwidthPolicy.parse(policy) : defaults.policy());
    }
}
