package fluxrelay.loadtest.hls;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Low-Latency HLS media playlist (RFC 8216bis 4.4): EXT-X-TARGETDURATION, EXT-X-MEDIA-SEQUENCE,
 * EXT-X-SERVER-CONTROL, EXT-X-PART-INF, EXT-X-MAP, EXT-X-PROGRAM-DATE-TIME, EXT-X-PART (with BYTERANGE),
 * EXTINF with its URI, EXT-X-PRELOAD-HINT and EXT-X-ENDLIST. Other tags are skipped.
 */
public final class PartPlaylistParser {

    private PartPlaylistParser() {
    }

    /** Parses a media playlist; throws {@link IllegalArgumentException} if it is not one. */
    public static PartPlaylist parse(String text) {
        String[] lines = text.split("\r?\n");
        if (lines.length == 0 || !lines[0].strip().equals("#EXTM3U")) {
            throw new IllegalArgumentException("not an HLS playlist: the first line is not #EXTM3U");
        }
        int target = -1;
        long mediaSequence = 0;
        double partTarget = Double.NaN;
        boolean canBlock = false;
        double partHoldBack = Double.NaN;
        List<PartPlaylist.Part> parts = new ArrayList<>();
        int segments = 0;
        int partIndex = 0;
        String map = null;
        String hint = null;
        boolean ended = false;
        long segmentPdt = -1;
        double intoSegment = 0;
        double pendingDuration = Double.NaN;
        Map<String, Long> rangeEnds = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String tag = line.startsWith("#") && line.indexOf(':') > 0 ? line.substring(0, line.indexOf(':')) : line;
            String value = line.indexOf(':') > 0 ? line.substring(line.indexOf(':') + 1).strip() : "";
            switch (tag) {
                case "#EXT-X-TARGETDURATION" -> target = Integer.parseInt(value);
                case "#EXT-X-MEDIA-SEQUENCE" -> mediaSequence = Long.parseLong(value);
                case "#EXT-X-SERVER-CONTROL" -> {
                    Map<String, String> a = attributes(value);
                    canBlock = "YES".equals(a.get("CAN-BLOCK-RELOAD"));
                    partHoldBack = a.containsKey("PART-HOLD-BACK") ? Double.parseDouble(a.get("PART-HOLD-BACK")) : Double.NaN;
                }
                case "#EXT-X-PART-INF" -> partTarget = Double.parseDouble(required(attributes(value), "PART-TARGET", tag));
                case "#EXT-X-MAP" -> map = required(attributes(value), "URI", tag);
                case "#EXT-X-PROGRAM-DATE-TIME" -> {
                    try {
                        segmentPdt = OffsetDateTime.parse(value).toInstant().toEpochMilli();
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException("bad EXT-X-PROGRAM-DATE-TIME: " + value);
                    }
                    intoSegment = 0;
                }
                case "#EXT-X-PART" -> {
                    Map<String, String> a = attributes(value);
                    String uri = required(a, "URI", tag);
                    double duration = Double.parseDouble(required(a, "DURATION", tag));
                    long offset = -1;
                    long length = -1;
                    if (a.containsKey("BYTERANGE")) {
                        String range = a.get("BYTERANGE");
                        int at = range.indexOf('@');
                        length = Long.parseLong(at < 0 ? range : range.substring(0, at));
                        offset = at < 0 ? rangeEnds.getOrDefault(uri, 0L) : Long.parseLong(range.substring(at + 1));
                        rangeEnds.put(uri, offset + length);
                    }
                    long pdt = segmentPdt < 0 ? -1 : segmentPdt + Math.round(intoSegment * 1000);
                    parts.add(new PartPlaylist.Part(mediaSequence + segments, partIndex++, uri, duration,
                            "YES".equals(a.get("INDEPENDENT")), offset, length, map, pdt));
                    intoSegment += duration;
                }
                case "#EXTINF" -> {
                    int comma = value.indexOf(',');
                    pendingDuration = Double.parseDouble(comma < 0 ? value : value.substring(0, comma));
                }
                case "#EXT-X-PRELOAD-HINT" -> {
                    Map<String, String> a = attributes(value);
                    if ("PART".equals(a.get("TYPE"))) {
                        hint = required(a, "URI", tag);
                    }
                }
                case "#EXT-X-ENDLIST" -> ended = true;
                default -> {
                    if (!line.startsWith("#")) {
                        if (Double.isNaN(pendingDuration)) {
                            throw new IllegalArgumentException("URI without EXTINF: " + line);
                        }
                        // The segment is complete: the next one starts where it ends, unless a date-time says otherwise.
                        segmentPdt = segmentPdt < 0 ? -1 : segmentPdt + Math.round(pendingDuration * 1000);
                        intoSegment = 0;
                        pendingDuration = Double.NaN;
                        segments++;
                        partIndex = 0;
                    }
                }
            }
        }
        if (target < 0) {
            throw new IllegalArgumentException("media playlist without EXT-X-TARGETDURATION");
        }
        return new PartPlaylist(target, mediaSequence, partTarget, canBlock, partHoldBack, parts, mediaSequence + segments, hint,
                ended);
    }

    private static String required(Map<String, String> attributes, String name, String tag) {
        String value = attributes.get(name);
        if (value == null) {
            throw new IllegalArgumentException(tag + " without " + name);
        }
        return value;
    }

    /** An attribute list (RFC 8216bis 4.2): NAME=value pairs split at commas outside quotes, quotes removed. */
    static Map<String, String> attributes(String list) {
        Map<String, String> out = new HashMap<>();
        int i = 0;
        while (i < list.length()) {
            int eq = list.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = list.substring(i, eq).strip();
            int end;
            String value;
            if (eq + 1 < list.length() && list.charAt(eq + 1) == '"') {
                int close = list.indexOf('"', eq + 2);
                if (close < 0) {
                    throw new IllegalArgumentException("unterminated quoted string in " + list);
                }
                value = list.substring(eq + 2, close);
                end = list.indexOf(',', close);
            } else {
                end = list.indexOf(',', eq);
                value = list.substring(eq + 1, end < 0 ? list.length() : end).strip();
            }
            out.put(name, value);
            i = end < 0 ? list.length() : end + 1;
        }
        return out;
    }
}
