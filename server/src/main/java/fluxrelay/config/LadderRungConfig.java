package fluxrelay.config;

/**
 * One lower rendition a room asks the server to make from its program ({@code relay.rooms[i].ladder[j]}): the
 * program's picture scaled to {@code height} lines (width in proportion) and encoded to H.264 and AAC at the given
 * rates.
 *
 * @param id the rendition's id, as viewers ask for it ({@code ?rendition=360p}), {@code [a-z0-9][a-z0-9-]{0,31}}
 * @param height picture height in lines, even; a rung not below the program's height is skipped while it is so
 * @param videoKbps the H.264 bit rate, kbit/s (also the cap of its rate control)
 * @param audioKbps the AAC bit rate, kbit/s
 */
public record LadderRungConfig(String id, int height, int videoKbps, int audioKbps) {

    /** Lowest rung height, lines. */
    public static final int MIN_HEIGHT = 64;
    /** Highest rung height, lines. */
    public static final int MAX_HEIGHT = 4320;
    /** Lowest and highest H.264 rate, kbit/s. */
    public static final int MIN_VIDEO_KBPS = 50;
    public static final int MAX_VIDEO_KBPS = 50_000;
    /** Lowest and highest AAC rate, kbit/s. */
    public static final int MIN_AUDIO_KBPS = 16;
    public static final int MAX_AUDIO_KBPS = 512;
    /** A rung's AAC rate when it names none, kbit/s (documented in reference.conf). */
    public static final int DEFAULT_AUDIO_KBPS = 96;
}
