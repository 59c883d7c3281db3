package fluxrelay.bandwidth;

/**
 * One quality rendition of a room's program and the download rate a viewer needs for it. The bandwidth package
 * knows renditions only as these numbers: whoever knows the hubs measures them and hands them in.
 *
 * @param id the rendition's id ({@code 240p})
 * @param bitsPerSecond the rate it needs, bit/s, positive
 */
public record RenditionNeed(String id, long bitsPerSecond) {

    public RenditionNeed {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("rendition id");
        }
        if (bitsPerSecond <= 0) {
            throw new IllegalArgumentException("a rendition's need must be positive, got " + bitsPerSecond);
        }
    }

    /**
     * The need of a rendition measured at {@code ingestBitsPerSecond}: that rate times {@code headroom}, never more
     * than the program's own requirement (a rendition is a lower quality of the program, so it never needs more),
     * and at least 1 bit/s.
     */
    public static long of(double ingestBitsPerSecond, double headroom, long programBitsPerSecond) {
        long need = Math.round(ingestBitsPerSecond * headroom);
        return Math.max(1, Math.min(programBitsPerSecond, need));
    }

    /** The need in megabit/s. */
    public double mbps() {
        return bitsPerSecond / 1e6;
    }
}
