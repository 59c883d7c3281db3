package fluxrelay.hls;

import java.util.Locale;

/**
 * Which HLS renditions a room is packaged to: MPEG-TS (classic HLS, for older players and the stable
 * {@code index.m3u8} URL), fMP4 low-latency HLS ({@code ll.m3u8}), or both, the default.
 */
public enum HlsRenditions {
    BOTH(true, true),
    TS(true, false),
    FMP4(false, true);

    private final boolean ts;
    private final boolean fmp4;

    HlsRenditions(boolean ts, boolean fmp4) {
        this.ts = ts;
        this.fmp4 = fmp4;
    }

    /** Packaged to MPEG-TS segments. */
    public boolean ts() {
        return ts;
    }

    /** Packaged to an fMP4 low-latency rendition. */
    public boolean fmp4() {
        return fmp4;
    }

    /** From its configuration name: "both", "ts" or "fmp4" (any case). */
    public static HlsRenditions parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "both" -> BOTH;
            case "ts" -> TS;
            case "fmp4" -> FMP4;
            default -> throw new IllegalArgumentException("must be both, ts or fmp4, got '" + name + "'");
        };
    }
}
