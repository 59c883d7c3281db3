package fluxrelay.recording;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * One recording, as the catalogue lists it.
 *
 * @param id unique name, also the base of its file names
 * @param room the room's public id
 * @param start when its first frame was written
 * @param end when the session ended, or null while recording
 * @param durationSeconds media duration (0 until finalized)
 * @param size bytes of its current file
 * @param codecs RFC 6381 codec strings of its tracks
 * @param state where it is in its life
 * @param file its current file: the fragment file until ready, then the MP4
 * @param error why it failed, or null
 */
public record Recording(String id, String room, Instant start, Instant end, double durationSeconds, long size,
                        List<String> codecs, RecordingState state, Path file, String error) {

    public Recording {
        codecs = List.copyOf(codecs);
    }

    /** This recording in another state. */
    Recording with(RecordingState newState, Instant newEnd, double newDuration, long newSize, Path newFile, String newError) {
        return new Recording(id, room, start, newEnd, newDuration, newSize, codecs, newState, newFile, newError);
    }

    /** This recording with its current size. */
    Recording withSize(long newSize) {
        return new Recording(id, room, start, end, durationSeconds, newSize, codecs, state, file, error);
    }
}
