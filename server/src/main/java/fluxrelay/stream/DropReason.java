package fluxrelay.stream;

/** Why a frame did not reach a viewer. */
public enum DropReason {
    /** The viewer's queue was above its high mark when a video frame arrived. */
    CONGESTION("congestion"),
    /** A video frame after a dropped one, before the next keyframe (whole-GOP drop). */
    GOP_SKIP("gop_skip"),
    /** Audio dropped because the viewer's queue passed its hard limit. */
    AUDIO_OVERFLOW("audio_overflow");

    private final String label;

    DropReason(String label) {
        this.label = label;
    }

    /** Metric label value. */
    public String label() {
        return label;
    }
}
