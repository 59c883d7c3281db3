package fluxrelay.loadtest.metrics;

/** The protocols a simulated viewer plays with. */
public enum ViewerKind {
    RTMP("rtmp"),
    HTTP_FLV("http-flv"),
    HLS("hls");

    private final String label;

    ViewerKind(String label) {
        this.label = label;
    }

    /** Name used on the command line and in reports. */
    public String label() {
        return label;
    }
}
