package fluxrelay.recording;

/**
 * What the recorder tells the outside (webhooks, logs beyond its own): called on a recording thread, so an
 * implementation hands slow work elsewhere.
 */
public interface RecordingEvents {

    /** A recording began: its fragment file has its first fragment on the way. */
    void started(Recording recording);

    /**
     * A recording was finalized into its MP4; {@code why} says what ended its session (the publisher gone for the grace
     * period, the room off the air, free space below the floor, a write failure, a restart after a crash...).
     */
    void ready(Recording recording, String why);

    /** A recording could not be finalized (or a session could not be written). */
    void failed(Recording recording);

    /** Nobody listens. */
    RecordingEvents NONE = new RecordingEvents() {
        @Override
        public void started(Recording recording) {
        }

        @Override
        public void ready(Recording recording, String why) {
        }

        @Override
        public void failed(Recording recording) {
        }
    };
}
