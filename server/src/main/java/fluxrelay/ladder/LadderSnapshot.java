package fluxrelay.ladder;

import java.util.List;

/**
 * A room's ladder as the admin view and the metrics show it.
 *
 * @param room the room's id
 * @param state {@code idle} (no live program, or the encoder sends its own renditions), {@code waiting} (for a free
 *     process slot, {@code relay.ladder.max-processes}), {@code running}, or {@code restarting} (waiting its backoff)
 * @param pid the running ffmpeg's process id, or 0
 * @param rungs the rendition ids being made now
 * @param skipped rungs skipped because the program's picture is not higher than theirs, with the reason
 * @param restarts restarts after a failure since the server started
 * @param lastError the last failure (exit code and ffmpeg's last lines), or null
 * @param cpuSeconds CPU time of this room's ladder processes since the server started, seconds
 */
public record LadderSnapshot(String room, String state, long pid, List<String> rungs, List<String> skipped, long restarts,
                             String lastError, double cpuSeconds) {
}
