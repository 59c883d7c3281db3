package fluxrelay.hls;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Renders playlists (RFC 8216 4): the media playlist of a room's segments (4.3.3, 4.3.2) and the
 * multivariant playlist that points at it (4.3.4). Pure text, independent of the segment container.
 */
public final class PlaylistWriter {

    /** Decimal EXTINF durations need version 3 (RFC 8216 7). */
    static final int VERSION = 3;

    /** The GROUP-ID of the audio rendition group a multivariant playlist declares when its variants share their audio. */
    public static final String AUDIO_GROUP = "audio";

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private PlaylistWriter() {
    }

    /** The media playlist; segment URIs are the segments' names, relative to the playlist. */
    public static String media(PlaylistView view) {
        StringBuilder out = new StringBuilder(256 + 96 * view.segments().size());
        out.append("#EXTM3U\n");
        out.append("#EXT-X-VERSION:").append(VERSION).append('\n');
        out.append("#EXT-X-TARGETDURATION:").append(view.targetDuration()).append('\n');
        out.append("#EXT-X-MEDIA-SEQUENCE:").append(view.mediaSequence()).append('\n');
        if (view.discontinuitySequence() > 0) {
            out.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(view.discontinuitySequence()).append('\n');
        }
        if (view.independentSegments()) {
            out.append("#EXT-X-INDEPENDENT-SEGMENTS\n");
        }
        for (SegmentInfo segment : view.segments()) {
            if (segment.discontinuity()) {
                out.append("#EXT-X-DISCONTINUITY\n");
            }
            out.append("#EXT-X-PROGRAM-DATE-TIME:").append(DATE_TIME.format(Instant.ofEpochMilli(segment.programDateTime())))
                    .append('\n');
            out.append("#EXTINF:");
            seconds(out, segment.durationMs());
            out.append(",\n").append(segment.name()).append('\n');
        }
        if (view.ended()) {
            out.append("#EXT-X-ENDLIST\n");
        }
        return out.toString();
    }

    /** One variant stream of a multivariant playlist: what it is and its media playlist's URI. */
    public record Variant(VariantInfo info, String uri) {
    }

    /** The multivariant playlist with the one variant at {@code mediaUri}. */
    public static String master(VariantInfo variant, String mediaUri, boolean independentSegments) {
        return master(java.util.List.of(new Variant(variant, mediaUri)), independentSegments);
    }

    /**
     * The multivariant playlist listing {@code variants} (a room's program and its quality renditions), highest
     * BANDWIDTH first, as players expect the first to be the one to try (RFC 8216 4.3.4.2, Apple's authoring spec).
     *
     * <p>When there are several and all carry alike audio (same codec, sampling rate and channels: the room's one
     * audio track, which renditions share), the audio is declared one rendition group, {@value #AUDIO_GROUP}, that
     * every variant names in its {@code AUDIO} attribute. The group's one member has no URI (RFC 8216 4.3.4.1): its
     * media stays in each variant's segments, so every player that plays the variants alone plays them as before, and
     * a player switching variants knows the audio is the same rendition and keeps it. Variants whose audio differs
     * (renditions from encoders with other audio settings) are listed without a group.
     */
    public static String master(java.util.List<Variant> variants, boolean independentSegments) {
        StringBuilder out = new StringBuilder(128 + 192 * variants.size());
        out.append("#EXTM3U\n");
        out.append("#EXT-X-VERSION:").append(VERSION).append('\n');
        if (independentSegments) {
            out.append("#EXT-X-INDEPENDENT-SEGMENTS\n");
        }
        java.util.List<Variant> sorted = new java.util.ArrayList<>(variants);
        sorted.sort(java.util.Comparator.comparingLong((Variant v) -> v.info().bandwidth()).reversed());
        boolean sharedAudio = sorted.size() > 1 && sorted.stream().allMatch(v -> v.info().sameAudio(sorted.get(0).info()));
        if (sharedAudio) {
            out.append("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"").append(AUDIO_GROUP).append("\",NAME=\"Audio\",DEFAULT=YES,AUTOSELECT=YES");
            int channels = sorted.get(0).info().audio().channels();
            if (channels > 0) {
                out.append(",CHANNELS=\"").append(channels).append('"');
            }
            out.append('\n');
        }
        for (Variant one : sorted) {
            streamInf(out, one.info(), one.uri(), sharedAudio);
        }
        return out.toString();
    }

    private static void streamInf(StringBuilder out, VariantInfo variant, String mediaUri, boolean sharedAudio) {
        out.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(Math.max(1, variant.bandwidth()));
        if (variant.averageBandwidth() > 0) {
            out.append(",AVERAGE-BANDWIDTH=").append(variant.averageBandwidth());
        }
        if (!variant.codecs().isEmpty()) {
            out.append(",CODECS=\"").append(String.join(",", variant.codecs())).append('"');
        }
        if (variant.width() > 0 && variant.height() > 0) {
            out.append(",RESOLUTION=").append(variant.width()).append('x').append(variant.height());
        }
        if (variant.frameRate() > 0) {
            out.append(",FRAME-RATE=").append(String.format(Locale.ROOT, "%.3f", variant.frameRate()));
        }
        if (sharedAudio) {
            out.append(",AUDIO=\"").append(AUDIO_GROUP).append('"');
        }
        out.append('\n').append(mediaUri).append('\n');
    }

    /** Milliseconds as decimal seconds with three places. */
    private static void seconds(StringBuilder out, long millis) {
        out.append(millis / 1000).append('.');
        long fraction = millis % 1000;
        if (fraction < 100) {
            out.append('0');
        }
        if (fraction < 10) {
            out.append('0');
        }
        out.append(fraction);
    }
}
