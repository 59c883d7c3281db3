package fluxrelay.program;

/** Who hears of program changes (webhooks, metrics, logs); called off every media thread, never under a lock. */
public interface ProgramListener {

    /** Nobody listens. */
    ProgramListener NONE = new ProgramListener() {
        @Override
        public void switched(String roomId, Switched switched) {
        }

        @Override
        public void parametersDiffer(String roomId, String inputId, String mainInputId) {
        }
    };

    /** The program of {@code roomId} went to another input (never called for {@link SwitchReason#START}). */
    void switched(String roomId, Switched switched);

    /**
     * An input's codec parameters (sequence headers) differ from the main input's: a switch between them is a
     * discontinuity for HLS viewers.
     */
    void parametersDiffer(String roomId, String inputId, String mainInputId);
}
