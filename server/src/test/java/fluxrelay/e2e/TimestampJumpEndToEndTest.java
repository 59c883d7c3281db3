package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.HlsTestClient;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ffmpeg publishes the sample clip twice over one connection, the second time an hour later on the encoder's clock
 * (issue 17: such a jump made EXT-X-TARGETDURATION 3602 for good). The room's HLS marks the jump with one
 * EXT-X-DISCONTINUITY, keeps a two-second target duration, and ffmpeg decodes both renditions without an error.
 */
class TimestampJumpEndToEndTest {

    private TestServer server;
    private HlsTestClient hls;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start("relay.hls.window = 20");
        hls = new HlsTestClient(server.httpUrl("/hls/demo/"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static void ffmpeg(String... args) throws Exception {
        try (Ffmpeg.Run run = Ffmpeg.startFfmpeg(args)) {
            assertEquals(0, run.await(120), run.output());
            assertTrue(run.output().isBlank(), "ffmpeg reports nothing wrong: " + run.output());
        }
    }

    /** The clip, then again 3600 s later: the second file's tags after the first's (its FLV header dropped). */
    private static Path jumpingClip(Path dir) throws Exception {
        Path clip = SampleMedia.file(SampleMedia.AV_720P);
        Path later = dir.resolve("later.flv");
        ffmpeg("-v", "error", "-y", "-i", clip.toString(), "-c", "copy", "-output_ts_offset", "3600", "-f", "flv",
                later.toString());
        byte[] first = Files.readAllBytes(clip);
        byte[] second = Files.readAllBytes(later);
        byte[] joined = Arrays.copyOf(first, first.length + second.length - 13);
        System.arraycopy(second, 13, joined, first.length, second.length - 13); // 9-byte header, 4-byte PreviousTagSize0
        Path out = dir.resolve("jumping.flv");
        Files.write(out, joined);
        return out;
    }

    @Test
    void anHourJumpGivesOneDiscontinuityASaneTargetDurationAndDecodableHls(@TempDir Path dir) throws Exception {
        Path input = jumpingClip(dir);
        ffmpeg("-v", "error", "-i", input.toString(), "-c", "copy", "-f", "flv", server.rtmpUrl("live", TestServer.KEY));
        String[] playlist = new String[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            playlist[0] = hls.playlist("stream.m3u8");
            return playlist[0] != null && playlist[0].contains("#EXT-X-ENDLIST");
        });
        assertEquals("2", HlsTestClient.tag(playlist[0], "#EXT-X-TARGETDURATION"), playlist[0]);
        List<HlsTestClient.Entry> entries = HlsTestClient.entries(playlist[0]);
        assertEquals(List.of(4), java.util.stream.IntStream.range(0, entries.size()).filter(i -> entries.get(i).discontinuity())
                .boxed().toList(), "one discontinuity, where the second run starts: " + playlist[0]);
        for (HlsTestClient.Entry entry : entries) {
            assertTrue(entry.duration() <= 2.1, "EXTINF " + entry.duration() + " of " + entry.uri());
        }
        for (String rendition : List.of("index.m3u8", "ll.m3u8")) {
            ffmpeg("-v", "error", "-i", server.httpUrl("/hls/demo/" + rendition), "-f", "null", "-");
        }
    }
}
