package fluxrelay.loadtest.hls;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the tags of RFC 8216 section 4 that a live player needs: EXTM3U, EXT-X-TARGETDURATION,
 * EXT-X-MEDIA-SEQUENCE, EXTINF, EXT-X-ENDLIST and EXT-X-STREAM-INF. Other tags (EXT-X-VERSION,
 * EXT-X-PROGRAM-DATE-TIME, EXT-X-DISCONTINUITY, Low-Latency parts, ...) are skipped, as a player that does
 * not use them does.
 */
public final class PlaylistParser {

    private PlaylistParser() {
    }

    /** Parses a playlist; throws {@link IllegalArgumentException} if it is not one (4.3.1.1). */
    public static Playlist parse(String text) {
        String[] lines = text.split("\r?\n");
        if (lines.length == 0 || !lines[0].strip().equals("#EXTM3U")) {
            throw new IllegalArgumentException("not an HLS playlist: the first line is not #EXTM3U");
        }
        List<Playlist.Segment> segments = new ArrayList<>();
        List<Playlist.Variant> variants = new ArrayList<>();
        int target = -1;
        long sequence = 0;
        boolean ended = false;
        double pendingDuration = Double.NaN;
        long pendingBandwidth = -1;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#EXT-X-TARGETDURATION:")) {
                target = Integer.parseInt(value(line));
            } else if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
                sequence = Long.parseLong(value(line));
            } else if (line.startsWith("#EXTINF:")) {
                String v = value(line);
                int comma = v.indexOf(',');
                pendingDuration = Double.parseDouble(comma < 0 ? v : v.substring(0, comma));
            } else if (line.equals("#EXT-X-ENDLIST")) {
                ended = true;
            } else if (line.startsWith("#EXT-X-STREAM-INF:")) {
                pendingBandwidth = attributeLong(value(line), "BANDWIDTH");
            } else if (!line.startsWith("#")) {
                if (pendingBandwidth >= 0) {
                    variants.add(new Playlist.Variant(line, pendingBandwidth));
                    pendingBandwidth = -1;
                } else if (!Double.isNaN(pendingDuration)) {
                    segments.add(new Playlist.Segment(line, pendingDuration, sequence + segments.size()));
                    pendingDuration = Double.NaN;
                } else {
                    throw new IllegalArgumentException("URI without EXTINF or EXT-X-STREAM-INF: " + line);
                }
            }
        }
        if (!variants.isEmpty()) {
            return new Playlist.Multivariant(List.copyOf(variants));
        }
        if (target < 0) {
            throw new IllegalArgumentException("media playlist without EXT-X-TARGETDURATION");
        }
        return new Playlist.Media(target, sequence, List.copyOf(segments), ended);
    }

    private static String value(String line) {
        return line.substring(line.indexOf(':') + 1).strip();
    }

    /** An unquoted decimal attribute of an attribute list (4.2), 0 when absent. */
    private static long attributeLong(String attributes, String name) {
        for (String attribute : attributes.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
            int eq = attribute.indexOf('=');
            if (eq > 0 && attribute.substring(0, eq).strip().equals(name)) {
                try {
                    return Long.parseLong(attribute.substring(eq + 1).strip());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }
}
