package fluxrelay.stream;

import java.util.ArrayList;
import java.util.List;

/**
 * The platform's rules for a live stream: at most HD, at most 30 fps, a recommended video bitrate. A
 * stream outside the hard limits is flagged, or refused in strict mode; a bitrate outside the
 * recommendation is only flagged.
 */
public final class IngestPolicy {

    private final int maxWidth;
    private final int maxHeight;
    private final double maxFrameRate;
    private final int minVideoKbps;
    private final int maxVideoKbps;
    private final boolean strict;

    public IngestPolicy(int maxWidth, int maxHeight, double maxFrameRate, int minVideoKbps, int maxVideoKbps, boolean strict) {
        this.maxWidth = maxWidth;
        this.maxHeight = maxHeight;
        this.maxFrameRate = maxFrameRate;
        this.minVideoKbps = minVideoKbps;
        this.maxVideoKbps = maxVideoKbps;
        this.strict = strict;
    }

    /** True when a stream breaking a hard limit is refused rather than flagged. */
    public boolean strict() {
        return strict;
    }

    /**
     * Hard-limit violations of a picture format, as sentences for the log, the room state and the
     * encoder. Unknown values (0 or NaN) are not judged.
     */
    public List<String> checkFormat(int width, int height, double frameRate) {
        List<String> problems = new ArrayList<>(2);
        if (width > maxWidth || height > maxHeight) {
            problems.add("resolution " + width + "x" + height + " is above the allowed " + maxWidth + "x" + maxHeight);
        }
        if (frameRate > maxFrameRate + 0.5) {
            problems.add(String.format(java.util.Locale.ROOT, "frame rate %.2f fps is above the allowed %.0f fps",
                    frameRate, maxFrameRate));
        }
        return problems;
    }

    /** A warning when the measured video bitrate is outside the recommendation, else null. */
    public String checkBitrate(double videoKbps) {
        if (videoKbps <= 0) {
            return null;
        }
        if (videoKbps < minVideoKbps || videoKbps > maxVideoKbps) {
            return String.format(java.util.Locale.ROOT, "video bitrate %.0f kbit/s is outside the recommended %d-%d kbit/s",
                    videoKbps, minVideoKbps, maxVideoKbps);
        }
        return null;
    }
}
