package fluxrelay.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Checks that a room's quality rendition is cut where its program is: ffprobe reads the video start of every MPEG-TS
 * segment both media playlists list, and each rendition segment the program still lists must start when a program
 * segment does (so players switch between them without a discontinuity).
 */
public final class AlignedSegments {

    private AlignedSegments() {
    }

    /**
     * Waits (up to {@code wait}) for three segments of rendition {@code rendition} of room {@code room}, then asserts
     * that at least two of them start, within {@code toleranceSeconds}, when a program segment starts.
     */
    public static void assertAligned(TestServer server, String room, String rendition, double toleranceSeconds, Duration wait)
            throws Exception {
        String programDir = "/hls/" + room + "/";
        String renditionDir = programDir + "r/" + rendition + "/";
        HlsTestClient program = new HlsTestClient(server.httpUrl(programDir));
        HlsTestClient variant = new HlsTestClient(server.httpUrl(renditionDir));
        await().atMost(wait).until(() -> {
            String text = variant.playlist("stream.m3u8");
            return text != null && HlsTestClient.entries(text).size() >= 3;
        });
        // The rendition's segments first, then the program's: every rendition segment the program still lists is there.
        List<Double> renditionStarts = starts(server, renditionDir, variant.playlist("stream.m3u8"));
        TreeSet<Double> programStarts = new TreeSet<>(starts(server, programDir, program.playlist("stream.m3u8")));
        List<Double> common = renditionStarts.stream().filter(t -> t >= programStarts.first() - 0.0005).toList();
        assertTrue(common.size() >= 2, "renditions " + renditionStarts + ", program " + programStarts);
        for (double start : common) {
            Double nearest = programStarts.ceiling(start - toleranceSeconds);
            assertTrue(nearest != null && Math.abs(nearest - start) < toleranceSeconds,
                    "rendition segment at " + start + " s has no program segment starting then: " + programStarts);
        }
    }

    /** The video start time of each segment of {@code playlist} (under {@code dir}) that ffprobe reads. */
    private static List<Double> starts(TestServer server, String dir, String playlist) throws Exception {
        List<Double> out = new ArrayList<>();
        for (HlsTestClient.Entry entry : HlsTestClient.entries(playlist)) {
            try (Ffmpeg.Run probe = Ffmpeg.startFfprobe("-v", "error", "-select_streams", "v:0", "-show_entries",
                    "stream=start_time", "-of", "csv=p=0", server.httpUrl(dir + entry.uri()))) {
                if (probe.await(30) == 0 && !probe.output().isBlank()) {
                    out.add(Double.parseDouble(probe.output().trim().split("\\s+")[0]));
                }
            }
        }
        return out;
    }
}
