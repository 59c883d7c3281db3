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

    /**
     * The steady ingest rate of a rendition, bit/s, from the video + audio rate of each of its last measured seconds
     * (kbit/s, up to ten, oldest first): their mean, or 0 when none is measured yet.
     *
     * <p>Why the mean over several seconds: one second's rate jumps with the GOP, several times the average in a second
     * holding a keyframe and well below it in the seconds between, so a need following the last second made the same
     * viewer fit a rendition one moment and not the next. Ten seconds span a few GOPs of the usual 1 to 4 s, so their
     * mean is close to the rendition's average rate, which is what a link must carry over time; the peaks a keyframe
     * brings are absorbed by the player's buffer and the {@code rendition-headroom}. The maximum was not taken: it
     * would make a keyframe second the need for the whole window, asking up to several times the average rate.
     */
    public static double steadyBitsPerSecond(java.util.List<Double> recentKbps) {
        if (recentKbps.isEmpty()) {
            return 0;
        }
        double sum = 0;
        for (double kbps : recentKbps) {
            sum += kbps;
        }
        return sum / recentKbps.size() * 1000;
    }

    /** The need in megabit/s. */
    public double mbps() {
        return bitsPerSecond / 1e6;
    }
}
