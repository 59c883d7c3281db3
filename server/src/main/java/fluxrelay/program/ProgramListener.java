package fluxrelay.program;

import java.util.List;

/** Who hears of program changes (webhooks, metrics, logs); called off every media thread, never under a lock. */
public interface ProgramListener {

    /** Nobody listens. */
    ProgramListener NONE = new ProgramListener() {
        @Override
        public void switched(String roomId, Switched switched) {
        }

        @Override
        public void parametersDiffer(String roomId, String inputId, String mainInputId, List<String> tracks) {
        }
    };

    /** The program of {@code roomId} went to another input (never called for {@link SwitchReason#START}). */
    void switched(String roomId, Switched switched);

    /**
     * The tracks whose codec parameters (sequence headers) differ between an input and the main input changed: a switch
     * between them is a discontinuity for HLS viewers. Called once per change, never per frame: when a difference
     * appears, when it goes, and when an input that differed stops publishing (then with no tracks).
     *
     * @param tracks the tracks that differ now ({@code video}, {@code audio}), empty when none does
     */
    void parametersDiffer(String roomId, String inputId, String mainInputId, List<String> tracks);
}
