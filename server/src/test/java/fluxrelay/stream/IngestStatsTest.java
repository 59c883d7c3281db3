package fluxrelay.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fluxrelay.media.MediaFrame;
import fluxrelay.testing.Frames;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-second ingest rates a publish keeps: the last second's, and the last ten for steady figures. */
class IngestStatsTest {

    private static final long SECOND = 1_000_000_000L;

    private static void record(IngestStats stats, MediaFrame frame, long nanos) {
        stats.record(frame, nanos);
        frame.release();
    }

    @Test
    void theLastTenSecondsAreKeptOldestFirst() {
        IngestStats stats = new IngestStats();
        assertEquals(List.of(), stats.snapshot().recentKbps());
        record(stats, Frames.videoHeader(0), 0);
        // Second n carries (n + 1) kilobytes of video: (n + 1) * 8 kbit/s, plus 1 kB of audio (8 kbit/s).
        for (int n = 0; n < 12; n++) {
            record(stats, Frames.keyframe(n * 1000L, (n + 1) * 1000), n * SECOND + 1);
            record(stats, Frames.audio(n * 1000L, 1000), n * SECOND + 2);
            // The next second's first frame closes this one.
            record(stats, Frames.interframe(n * 1000L + 999, 0), (n + 1) * SECOND);
        }
        IngestSnapshot snapshot = stats.snapshot();
        assertEquals(IngestStats.RATE_HISTORY, snapshot.recentKbps().size());
        // Seconds 2..11 are kept (0 and 1 fell out): (n + 1) * 8 + 8 kbit/s each.
        List<Double> expected = new java.util.ArrayList<>();
        for (int n = 2; n < 12; n++) {
            expected.add((n + 1) * 8.0 + 8.0);
        }
        assertEquals(expected, snapshot.recentKbps());
        assertEquals(96.0, snapshot.videoKbps(), 1e-9, "the last second's video rate as before");
    }
}
