package fluxrelay.loadtest.metrics;

/** The protocols a simulated viewer plays with. */
public enum ViewerKind {
    RTMP("rtmp"),
    HTTP_FLV("http-flv"),
    HLS("hls"),
    /** Low-Latency HLS: parts fetched after blocking playlist reloads (or polled reloads where the server cannot block). */
    LL_HLS("llhls");

    private final String label;

    ViewerKind(String label) {
        this.label = label;
    }

    /** Name used on the command line and in reports. */
    public String label() {
        return label;
    }
}
