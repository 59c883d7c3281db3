package fluxrelay.bandwidth;

import java.util.Locale;

/** What a room does with a viewer whose link is below its required rate. */
public enum BandwidthPolicy {

    /** The viewer is refused before playback, and disconnected when found persistently below during it. */
    ENFORCE,
    /** The viewer plays; the verdict is advice, and a viewer below is flagged and logged. */
    WARN,
    /** No checks and no monitoring; the probe still answers, as advice. */
    OFF;

    /** The policy named {@code enforce}, {@code warn} or {@code off} (any case). */
    public static BandwidthPolicy parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "enforce" -> ENFORCE;
            case "warn" -> WARN;
            case "off" -> OFF;
            default -> throw new IllegalArgumentException("'" + name + "' is not one of enforce, warn, off");
        };
    }

    /** The configuration spelling. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
