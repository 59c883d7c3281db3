package fluxrelay.renditions;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * How renditions are named: {@code {height}p} from the track's sequence header (for example {@code 240p}), the form
 * viewers ask for ({@code ?rendition=240p}) and HLS URLs carry ({@code /hls/{room-id}/r/240p/stream.m3u8}).
 */
public final class RenditionIds {

    /** A rendition id: 1 to 32 lower-case letters, digits or {@code -}, starting with a letter or digit. */
    public static final Pattern FORM = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    private RenditionIds() {
    }

    /**
     * The id of a picture {@code height} lines high, unique among {@code taken}: {@code 240p}, or {@code 240p-2},
     * {@code 240p-3}... when two tracks have the same height; {@code track{n}} when the height is unknown.
     */
    public static String of(int height, int track, Set<String> taken) {
        String base = height > 0 ? height + "p" : "track" + track;
        String id = base;
        for (int n = 2; taken.contains(id); n++) {
            id = base + "-" + n;
        }
        return id;
    }

    /** True when {@code text} has the form of a rendition id. */
    public static boolean valid(String text) {
        return text != null && FORM.matcher(text).matches();
    }
}
