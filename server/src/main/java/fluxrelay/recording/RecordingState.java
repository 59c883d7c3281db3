package fluxrelay.recording;

import java.util.Locale;

/** Where a recording is in its life: {@code recording} then {@code finalizing}, then {@code ready} or {@code failed}. */
public enum RecordingState {
    /** Media is being appended to its fragment file. */
    RECORDING,
    /** The session ended; the fast-start MP4 is being written. */
    FINALIZING,
    /** The fast-start MP4 is complete. */
    READY,
    /** Finalizing failed (the reason is kept); whatever file remains is left for inspection. */
    FAILED;

    /** The API spelling. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
