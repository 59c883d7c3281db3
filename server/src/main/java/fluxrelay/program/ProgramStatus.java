package fluxrelay.program;

import java.util.List;

/**
 * A room's program at one moment, for the admin API.
 *
 * @param onAir the input whose media viewers get, or null (none live)
 * @param pending the input the program goes to at its next keyframe, or null
 * @param pendingReason why it goes there, or null
 * @param pinned an operator chose a non-main input: no automatic failback until the main input is chosen again
 * @param inputs every input the switch has seen publish
 */
public record ProgramStatus(String onAir, String pending, SwitchReason pendingReason, boolean pinned, List<Input> inputs) {

    /**
     * One input as the switch sees it.
     *
     * @param id the input's id
     * @param live publishing now
     * @param lastMediaAgoMs ms since its last frame, or -1 (none yet)
     * @param differingTracks the tracks ({@code video}, {@code audio}) whose sequence headers differ from the main
     *                        input's, empty when none does
     */
    public record Input(String id, boolean live, long lastMediaAgoMs, List<String> differingTracks) {

        public Input {
            differingTracks = List.copyOf(differingTracks);
        }

        /** Its sequence headers differ from the main input's. */
        public boolean parametersDifferFromMain() {
            return !differingTracks.isEmpty();
        }
    }
}
