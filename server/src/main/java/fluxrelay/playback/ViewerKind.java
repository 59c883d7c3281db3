package fluxrelay.playback;

/** The kinds of viewer admission knows, by what they can do. */
public enum ViewerKind {
    /** An RTMP {@code play}: subscribes to the hub, can be measured in-band (bandwidth detection). */
    RTMP("rtmp", true, true),
    /** An HTTP-FLV response: subscribes to the hub; measured only by a probe token. */
    HTTP_FLV("http-flv", true, false),
    /** One HLS or LL-HLS request: reads the packager's output, subscribes to nothing; measured by a token. */
    HLS("hls", false, false);

    private final String label;
    private final boolean subscribes;
    private final boolean measurable;

    ViewerKind(String label, boolean subscribes, boolean measurable) {
        this.label = label;
        this.subscribes = subscribes;
        this.measurable = measurable;
    }

    /** The protocol's name in logs and metrics. */
    public String label() {
        return label;
    }

    /** True when the viewer takes one of the feed's subscriber places (the room capacity applies). */
    public boolean subscribes() {
        return subscribes;
    }

    /** True when the server can measure the viewer's link itself before deciding. */
    public boolean measurable() {
        return measurable;
    }
}
