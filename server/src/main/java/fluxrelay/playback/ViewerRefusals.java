package fluxrelay.playback;

/** Told of every refused viewer (for the rooms' recent events); implementations are cheap and thread-safe. */
@FunctionalInterface
public interface ViewerRefusals {

    /** Hears nothing. */
    ViewerRefusals NONE = (roomId, reason) -> { };

    /**
     * A viewer of {@code roomId} was refused.
     *
     * @param reason {@code access_<label>} (an access token refusal), {@code bandwidth_unmeasured},
     *               {@code bandwidth_too_slow}, {@code bandwidth_flagged} or {@code full}
     */
    void refused(String roomId, String reason);
}
