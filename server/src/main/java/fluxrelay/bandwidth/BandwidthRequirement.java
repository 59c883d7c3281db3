package fluxrelay.bandwidth;

/**
 * The download rate a room's stream needs per viewer, and what happens to a viewer below it.
 *
 * @param bitsPerSecond required rate, bit/s, positive
 * @param policy enforce, warn or off
 */
public record BandwidthRequirement(long bitsPerSecond, BandwidthPolicy policy) {

    public BandwidthRequirement {
        if (bitsPerSecond <= 0) {
            throw new IllegalArgumentException("required rate must be positive, got " + bitsPerSecond);
        }
        if (policy == null) {
            throw new IllegalArgumentException("policy");
        }
    }

    /** A requirement of {@code mbps} megabit/s (10^6). */
    public static BandwidthRequirement ofMbps(double mbps, BandwidthPolicy policy) {
        return new BandwidthRequirement(Math.round(mbps * 1_000_000), policy);
    }

    /** The required rate in megabit/s. */
    public double mbps() {
        return bitsPerSecond / 1e6;
    }

    /** True when a measured rate meets the requirement. */
    public boolean metBy(long measuredBitsPerSecond) {
        return measuredBitsPerSecond >= bitsPerSecond;
    }

    /** True unless the policy is off. */
    public boolean checked() {
        return policy != BandwidthPolicy.OFF;
    }
}
