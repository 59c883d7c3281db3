package fluxrelay.hls;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Renders the Low-Latency HLS media playlist of the fMP4 rendition (RFC 8216bis 4.4 with the low-latency
 * tags): EXT-X-SERVER-CONTROL with CAN-BLOCK-RELOAD and PART-HOLD-BACK (three part targets, what the
 * specification recommends), EXT-X-PART-INF, EXT-X-MAP before the first segment and wherever the
 * initialization segment changes, EXT-X-PART for the parts of the newest segments and of the segment
 * being written, and EXT-X-PRELOAD-HINT for the next part; EXT-X-RENDITION-REPORT lines for a program's other quality
 * renditions, added as the playlist is served. Pure text.
 */
public final class LowLatencyPlaylistWriter {

    /** EXT-X-PART, PRELOAD-HINT and SERVER-CONTROL came with versions up to 9 of the protocol. */
    static final int VERSION = 9;
    /** Parts are listed for this many of the newest complete segments (besides the one being written). */
    static final int SEGMENTS_WITH_PARTS = 2;
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private LowLatencyPlaylistWriter() {
    }

    public static String media(LowLatencyView view) {
        PlaylistView base = view.base();
        StringBuilder out = new StringBuilder(512 + 160 * base.segments().size());
        out.append("#EXTM3U\n");
        out.append("#EXT-X-VERSION:").append(VERSION).append('\n');
        out.append("#EXT-X-TARGETDURATION:").append(base.targetDuration()).append('\n');
        out.append("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=");
        seconds(out, 3 * view.partTargetMs());
        out.append('\n');
        out.append("#EXT-X-PART-INF:PART-TARGET=");
        seconds(out, view.partTargetMs());
        out.append('\n');
        out.append("#EXT-X-MEDIA-SEQUENCE:").append(base.mediaSequence()).append('\n');
        if (base.discontinuitySequence() > 0) {
            out.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(base.discontinuitySequence()).append('\n');
        }
        if (base.independentSegments()) {
            out.append("#EXT-X-INDEPENDENT-SEGMENTS\n");
        }
        String map = null;
        List<SegmentInfo> segments = base.segments();
        int firstWithParts = segments.size() - SEGMENTS_WITH_PARTS;
        for (int i = 0; i < segments.size(); i++) {
            SegmentInfo segment = segments.get(i);
            if (segment.discontinuity()) {
                out.append("#EXT-X-DISCONTINUITY\n");
            }
            map = map(out, map, view.segmentMaps().get(i));
            out.append("#EXT-X-PROGRAM-DATE-TIME:").append(DATE_TIME.format(Instant.ofEpochMilli(segment.programDateTime())))
                    .append('\n');
            if (i >= firstWithParts) {
                parts(out, view.segmentParts().get(i));
            }
            out.append("#EXTINF:");
            seconds(out, segment.durationMs());
            out.append(",\n").append(segment.name()).append('\n');
        }
        if (!base.ended()) {
            if (view.openDiscontinuity()) {
                out.append("#EXT-X-DISCONTINUITY\n");
            }
            if (!view.openParts().isEmpty() || view.preloadHint() != null) {
                map(out, map, view.openMap());
            }
            parts(out, view.openParts());
            if (view.preloadHint() != null) {
                out.append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"").append(view.preloadHint()).append("\"\n");
            }
        } else {
            out.append("#EXT-X-ENDLIST\n");
        }
        return out.toString();
    }

    /**
     * The EXT-X-RENDITION-REPORT line for another rendition of the same program (RFC 8216bis 4.4.5.4): where its
     * playlist is, relative to the one it is added to, and its last segment and part, so a player switching to it can
     * ask for the next part at once. Empty once that rendition ended (nothing more to ask for).
     */
    public static String renditionReport(String uri, LowLatencyView view) {
        if (view.base().ended()) {
            return "";
        }
        long lastMsn;
        int lastPart;
        if (!view.openParts().isEmpty()) {
            lastMsn = view.openSequence();
            lastPart = view.openParts().size() - 1;
        } else if (!view.segmentParts().isEmpty()) {
            lastMsn = view.openSequence() - 1;
            lastPart = view.segmentParts().get(view.segmentParts().size() - 1).size() - 1;
        } else {
            return "";
        }
        StringBuilder out = new StringBuilder(96).append("#EXT-X-RENDITION-REPORT:URI=\"").append(uri).append("\",LAST-MSN=")
                .append(lastMsn);
        if (lastPart >= 0) {
            out.append(",LAST-PART=").append(lastPart);
        }
        return out.append('\n').toString();
    }

    private static String map(StringBuilder out, String current, String next) {
        if (next != null && !next.equals(current)) {
            out.append("#EXT-X-MAP:URI=\"").append(next).append("\"\n");
        }
        return next != null ? next : current;
    }

    private static void parts(StringBuilder out, List<PartInfo> parts) {
        for (PartInfo part : parts) {
            out.append("#EXT-X-PART:DURATION=");
            seconds(out, part.durationMs());
            out.append(",URI=\"").append(part.name()).append('"');
            if (part.independent()) {
                out.append(",INDEPENDENT=YES");
            }
            out.append('\n');
        }
    }

    /** Milliseconds as decimal seconds with three places. */
    private static void seconds(StringBuilder out, long millis) {
        out.append(String.format(Locale.ROOT, "%d.%03d", millis / 1000, millis % 1000));
    }
}
