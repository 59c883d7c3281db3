package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.HlsTestClient;
import fluxrelay.testing.Http;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ffmpeg 7.1 publishes; ffprobe and ffmpeg read the room's HLS output. */
class HlsEndToEndTest {

    private TestServer server;
    private HlsTestClient hls;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start("relay.rtmp.publisher-takeover-after = 1s");
        hls = new HlsTestClient(server.httpUrl("/hls/demo/"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Ffmpeg.Run publish(String sample, String... inputOptions) throws Exception {
        List<String> args = new ArrayList<>(List.of(inputOptions));
        args.addAll(List.of("-i", SampleMedia.file(sample).toString(), "-c", "copy", "-f", "flv",
                server.rtmpUrl("live", TestServer.KEY)));
        return Ffmpeg.startFfmpeg(args.toArray(String[]::new));
    }

    private String awaitPlaylist(java.util.function.Predicate<String> ready) {
        String[] last = new String[1];
        await().atMost(Duration.ofSeconds(40)).until(() -> {
            last[0] = hls.playlist("stream.m3u8");
            return last[0] != null && ready.test(last[0]);
        });
        return last[0];
    }

    private static String probe(String... args) throws Exception {
        try (Ffmpeg.Run probe = Ffmpeg.startFfprobe(args)) {
            assertEquals(0, probe.await(60), probe.output());
            return probe.output();
        }
    }

    /** One packet as ffprobe lists it: stream type, pts and duration in seconds, flags. */
    private record Packet(String type, double pts, double duration, boolean key) {
    }

    private static List<Packet> packets(Path file) throws Exception {
        String csv = probe("-v", "error", "-show_entries", "packet=codec_type,pts_time,duration_time,flags", "-of", "csv=p=0",
                file.toString());
        List<Packet> packets = new ArrayList<>();
        for (String line : csv.split("\n")) {
            String[] f = line.trim().split(",");
            if (f.length >= 4 && !f[1].equals("N/A")) {
                packets.add(new Packet(f[0], Double.parseDouble(f[1]), f[2].equals("N/A") ? 0 : Double.parseDouble(f[2]),
                        f[3].startsWith("K")));
            }
        }
        return packets;
    }

    private Path download(String uri) throws Exception {
        var response = hls.get(uri);
        assertEquals(200, response.statusCode(), uri);
        assertEquals("video/mp2t", response.headers().firstValue("content-type").orElse(""));
        Path file = Files.createTempFile("segment-", ".ts");
        file.toFile().deleteOnExit();
        Files.write(file, response.body());
        return file;
    }

    @Test
    void ffprobeReadsTheLivePlaylistAndEverySegmentStartsWithAKeyframeOnAContinuousTimeline() throws Exception {
        try (Ffmpeg.Run publisher = publish(SampleMedia.AV_720P, "-re", "-stream_loop", "-1")) {
            String playlist = awaitPlaylist(p -> HlsTestClient.entries(p).size() >= 4);
            String master = hls.playlist("index.m3u8");
            Map<String, String> variant = HlsTestClient.streamInf(master);
            assertEquals("avc1.64001f,mp4a.40.2", variant.get("CODECS"), master);
            assertEquals("1280x720", variant.get("RESOLUTION"));
            assertEquals("30.000", variant.get("FRAME-RATE"));
            long bandwidth = Long.parseLong(variant.get("BANDWIDTH"));
            assertTrue(bandwidth > 1_000_000 && bandwidth < 4_000_000, "BANDWIDTH " + bandwidth);
            assertTrue(master.contains("\nstream.m3u8\n"), master);

            String streams = probe("-v", "error", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0",
                    server.httpUrl("/hls/demo/index.m3u8"));
            assertTrue(streams.contains("h264,1280,720"), streams);
            assertTrue(streams.contains("aac"), streams);

            int target = Integer.parseInt(HlsTestClient.tag(playlist, "#EXT-X-TARGETDURATION"));
            assertEquals(2, target);
            List<HlsTestClient.Entry> entries = HlsTestClient.entries(playlist);
            double expectedVideoStart = Double.NaN;
            double expectedAudioStart = Double.NaN;
            for (HlsTestClient.Entry entry : entries) {
                assertTrue(Math.round(entry.duration()) <= target, "EXTINF " + entry.duration() + " within the target");
                assertNotNull(entry.programDateTime(), "each segment has its program date-time");
                List<Packet> packets = packets(download(entry.uri()));
                List<Packet> video = packets.stream().filter(p -> p.type().equals("video")).toList();
                List<Packet> audio = packets.stream().filter(p -> p.type().equals("audio")).toList();
                assertTrue(video.get(0).key(), "segment " + entry.uri() + " starts with a keyframe");
                double firstDts = video.stream().mapToDouble(Packet::pts).min().orElseThrow();
                if (!Double.isNaN(expectedVideoStart)) {
                    assertEquals(expectedVideoStart, firstDts, 0.034, "video continues where the last segment ended");
                    assertEquals(expectedAudioStart, audio.get(0).pts(), 0.022, "audio continues where the last segment ended");
                }
                Packet lastAudio = audio.get(audio.size() - 1);
                expectedVideoStart = firstDts + entry.duration();
                expectedAudioStart = lastAudio.pts() + lastAudio.duration();
                double span = video.stream().mapToDouble(Packet::pts).max().orElseThrow() - firstDts + 1 / 30.0;
                assertEquals(entry.duration(), span, 0.034, "EXTINF matches the pictures in " + entry.uri());
            }
        }
    }

    /** ffprobe's packet counts per stream type of a file or URL (each stream once, though TS lists it per program too). */
    private static Map<String, Integer> counts(String input) throws Exception {
        String csv = probe("-v", "error", "-count_packets", "-show_entries", "stream=index,codec_type,nb_read_packets", "-of",
                "csv=p=0", input);
        Map<String, String> byIndex = new java.util.TreeMap<>();
        for (String line : csv.split("\n")) {
            String[] f = line.trim().split(",");
            if (f.length == 3) {
                byIndex.put(f[0], f[1] + "," + f[2]);
            }
        }
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (String stream : byIndex.values()) {
            String[] f = stream.split(",");
            counts.merge(f[0], Integer.parseInt(f[1]), Integer::sum);
        }
        return counts;
    }

    private void remuxGivesTheSourceFrames(String sample, String expectedStreams) throws Exception {
        try (Ffmpeg.Run publisher = publish(sample)) {
            assertEquals(0, publisher.await(60), publisher.output());
        }
        String playlist = awaitPlaylist(p -> p.contains("#EXT-X-ENDLIST"));
        assertTrue(HlsTestClient.entries(playlist).size() >= 3, playlist);
        Path remuxed = Files.createTempFile("remuxed-", ".ts");
        remuxed.toFile().deleteOnExit();
        try (Ffmpeg.Run remux = Ffmpeg.startFfmpeg("-v", "error", "-y", "-i", server.httpUrl("/hls/demo/index.m3u8"), "-c", "copy",
                "-f", "mpegts", remuxed.toString())) {
            assertEquals(0, remux.await(60), remux.output());
            assertTrue(remux.output().isBlank(), "ffmpeg reports nothing wrong: " + remux.output());
        }
        Map<String, Integer> source = counts(SampleMedia.file(sample).toString());
        Map<String, Integer> got = counts(remuxed.toString());
        System.out.printf("%s: source packets %s, remuxed from HLS %s%n", sample, source, got);
        assertEquals(source, got);
        String streams = probe("-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", remuxed.toString());
        assertEquals(expectedStreams, String.join(",", new java.util.LinkedHashSet<>(List.of(streams.trim().split("\\s+")))));
    }

    @Test
    void ffmpegRemuxesTheHlsBackToEveryFrameOfTheSource() throws Exception {
        remuxGivesTheSourceFrames(SampleMedia.AV_720P, "h264,aac");
    }

    @Test
    void anAudioOnlyPublishGivesPlayableHls() throws Exception {
        remuxGivesTheSourceFrames(SampleMedia.AUDIO_ONLY, "aac");
    }

    @Test
    void aVideoOnlyPublishGivesPlayableHls() throws Exception {
        remuxGivesTheSourceFrames(SampleMedia.VIDEO_ONLY, "h264");
    }

    @Test
    void theDirectoryMirrorPlaysFromDiskToo(@org.junit.jupiter.api.io.TempDir Path directory) throws Exception {
        server.close();
        server = TestServer.start("relay.hls.directory = \"" + directory + "\"");
        hls = new HlsTestClient(server.httpUrl("/hls/demo/"));
        remuxGivesTheSourceFrames(SampleMedia.AV_720P, "h264,aac");
        Path playlist = directory.resolve("demo").resolve("stream.m3u8");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(playlist)
                && Files.readString(playlist).equals(hls.playlist("stream.m3u8")));
        assertEquals(hls.playlist("index.m3u8"), Files.readString(directory.resolve("demo").resolve("index.m3u8")));
        assertEquals(counts(SampleMedia.file(SampleMedia.AV_720P).toString()), counts(playlist.toString()));
    }

    @Test
    void aPublisherReconnectGivesADiscontinuityAndAPlayablePlaylistThroughout() throws Exception {
        List<String> seen = new ArrayList<>();
        try (Ffmpeg.Run first = publish(SampleMedia.AV_720P, "-re", "-stream_loop", "-1")) {
            seen.add(awaitPlaylist(p -> HlsTestClient.entries(p).size() >= 2));
            first.close(); // the encoder vanishes mid-stream
        }
        seen.add(awaitPlaylist(p -> p.contains("#EXT-X-ENDLIST")));
        try (Ffmpeg.Run second = publish(SampleMedia.AV_720P, "-re", "-stream_loop", "-1")) {
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).until(() -> {
                String playlist = hls.playlist("stream.m3u8");
                assertNotNull(playlist, "the playlist stays served while the encoder reconnects");
                seen.add(playlist);
                List<HlsTestClient.Entry> entries = HlsTestClient.entries(playlist);
                int cut = entries.stream().map(HlsTestClient.Entry::discontinuity).toList().indexOf(true);
                return cut > 0 && entries.size() - cut >= 2;
            });
            String playlist = seen.get(seen.size() - 1);
            assertTrue(!playlist.contains("#EXT-X-ENDLIST"), playlist);
            try (Ffmpeg.Run player = Ffmpeg.startFfmpeg("-v", "error", "-i", server.httpUrl("/hls/demo/index.m3u8"), "-t", "3",
                    "-f", "null", "-")) {
                assertEquals(0, player.await(60), player.output());
            }
            for (HlsTestClient.Entry entry : HlsTestClient.entries(playlist)) {
                List<Packet> packets = packets(download(entry.uri()));
                assertTrue(packets.stream().filter(p -> p.type().equals("video")).findFirst().orElseThrow().key());
            }
        }
        long previous = -1;
        for (String playlist : seen) {
            long sequence = Long.parseLong(HlsTestClient.tag(playlist, "#EXT-X-MEDIA-SEQUENCE"));
            assertTrue(sequence >= previous, "EXT-X-MEDIA-SEQUENCE never goes back");
            previous = sequence;
            assertTrue(playlist.startsWith("#EXTM3U\n") && !HlsTestClient.entries(playlist).isEmpty(), playlist);
        }
    }

    /**
     * Readiness follows the HLS packaging threads: once they take no more work (here: the packager closed under
     * the running server) rooms would get no HLS, so the instance answers not ready and a load balancer or
     * orchestrator takes it out of rotation; publishing still works meanwhile.
     */
    @Test
    void readinessFailsWhenTheHlsPackagingThreadsNoLongerRun() throws Exception {
        assertEquals(200, Http.get(server.httpUrl("/health/ready")).statusCode());
        server.server().hls().close();
        assertEquals(503, Http.get(server.httpUrl("/health/ready")).statusCode());
        assertEquals(200, Http.get(server.httpUrl("/health/live")).statusCode());
        try (Ffmpeg.Run encoder = publish(SampleMedia.AV_720P, "-re")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> server.server().streams().stream("demo", true).snapshot().publishing());
        }
    }

    @Test
    void aDeletedRoomsViewersGetItsEndedPlaylistForAWindowThen404() throws Exception {
        try (Ffmpeg.Run encoder = publish(SampleMedia.AV_720P, "-re", "-stream_loop", "-1")) {
            awaitPlaylist(p -> HlsTestClient.entries(p).size() >= 2);
            assertEquals(200, Http.send("DELETE", server.httpUrl("/api/rooms/demo"), null, null).statusCode());
            assertEquals(404, Http.get(server.httpUrl("/live/demo.flv")).statusCode(), "the room is gone for new viewers");

            String ended = awaitPlaylist(p -> p.endsWith("#EXT-X-ENDLIST\n"));
            List<HlsTestClient.Entry> entries = HlsTestClient.entries(ended);
            assertEquals(200, hls.get(entries.get(entries.size() - 1).uri()).statusCode(), "its last segment is still served");
            assertEquals(200, hls.get("index.m3u8").statusCode());
            await().atMost(Duration.ofSeconds(60)).until(() -> hls.get("stream.m3u8").statusCode() == 404);
        }
    }
}
