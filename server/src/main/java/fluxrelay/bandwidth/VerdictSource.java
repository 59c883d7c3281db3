package fluxrelay.bandwidth;

import java.util.Locale;

/** Where a verdict came from. */
public enum VerdictSource {

    /** RTMP native bandwidth detection ({@code onBWCheck}/{@code onBWDone}) before playback. */
    RTMP_DETECTION,
    /** The HTTP probe endpoint, before playback. */
    HTTP_PROBE,
    /** A probe token presented with a playback request. */
    TOKEN,
    /** Delivery-rate monitoring during playback. */
    PLAYBACK;

    /** The JSON and log spelling. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
