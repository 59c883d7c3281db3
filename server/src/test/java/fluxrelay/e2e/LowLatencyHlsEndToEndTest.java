package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.hls.HlsRoom;
import fluxrelay.hls.LowLatencyView;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.testing.HlsTestClient;
import fluxrelay.testing.RtmpTestClient;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fMP4 Low-Latency HLS rendition: its playlist, read by ffmpeg 7.1, and blocking playlist reloads. */
class LowLatencyHlsEndToEndTest {

    private static final Pattern PART = Pattern.compile("#EXT-X-PART:DURATION=([0-9.]+),URI=\"([^\"]+)\"(,INDEPENDENT=YES)?");

    private TestServer server;
    private HlsTestClient hls;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start("relay.hls.part-target = 333ms");
        hls = new HlsTestClient(server.httpUrl("/hls/demo/"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Ffmpeg.Run publish(String... inputOptions) throws Exception {
        List<String> args = new ArrayList<>(List.of(inputOptions));
        args.addAll(List.of("-i", SampleMedia.file(SampleMedia.AV_720P).toString(), "-c", "copy", "-f", "flv",
                server.rtmpUrl("live", TestServer.KEY)));
        return Ffmpeg.startFfmpeg(args.toArray(String[]::new));
    }

    private static Map<String, Integer> packetCounts(String input) throws Exception {
        try (Ffmpeg.Run probe = Ffmpeg.startFfprobe("-v", "error", "-count_packets", "-show_entries",
                "stream=codec_type,nb_read_packets", "-of", "csv=p=0", input)) {
            assertEquals(0, probe.await(60), probe.output());
            Map<String, Integer> counts = new TreeMap<>();
            for (String line : probe.output().trim().split("\n")) {
                String[] f = line.trim().split(",");
                counts.merge(f[0], Integer.parseInt(f[1]), Integer::sum);
            }
            return counts;
        }
    }

    @Test
    void playlistCarriesTheLowLatencyTagsAndFfmpegReadsEveryFrame() throws Exception {
        try (Ffmpeg.Run publisher = publish()) {
            assertEquals(0, publisher.await(60), publisher.output());
        }
        String[] playlist = new String[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            playlist[0] = hls.playlist(HlsRoom.LOW_LATENCY_PLAYLIST);
            return playlist[0] != null && playlist[0].contains("#EXT-X-ENDLIST");
        });
        String text = playlist[0];
        System.out.println(text);
        assertTrue(text.contains("#EXT-X-VERSION:9\n"), text);
        assertTrue(text.contains("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.999\n"), text);
        assertTrue(text.contains("#EXT-X-PART-INF:PART-TARGET=0.333\n"), text);
        assertTrue(Pattern.compile("#EXT-X-MAP:URI=\"[a-z0-9]+-init-\\d+\\.mp4\"").matcher(text).find(), text);
        Matcher parts = PART.matcher(text);
        int count = 0;
        int independent = 0;
        while (parts.find()) {
            count++;
            independent += parts.group(3) != null ? 1 : 0;
            assertTrue(Double.parseDouble(parts.group(1)) <= 0.333, "part within the part target: " + parts.group());
            assertEquals(200, hls.get(parts.group(2)).statusCode(), parts.group(2));
        }
        assertTrue(count >= 6 && independent >= 1, "parts listed, those at keyframes independent: " + count + "/" + independent);
        assertEquals(200, hls.get("stream.m3u8").statusCode(), "the TS rendition stays");

        Path remuxed = Files.createTempFile("ll-", ".mp4");
        remuxed.toFile().deleteOnExit();
        try (Ffmpeg.Run remux = Ffmpeg.startFfmpeg("-v", "error", "-y", "-i", server.httpUrl("/hls/demo/ll.m3u8"), "-c", "copy",
                remuxed.toString())) {
            assertEquals(0, remux.await(60), remux.output());
        }
        Map<String, Integer> source = packetCounts(SampleMedia.file(SampleMedia.AV_720P).toString());
        Map<String, Integer> got = packetCounts(remuxed.toString());
        System.out.printf("LL-HLS fMP4: source packets %s, remuxed from ll.m3u8 %s%n", source, got);
        assertEquals(source, got);
    }

    @Test
    void manyBlockingReloadsWaitWithoutAThreadEachAndAreAnsweredWhenThePartComes() throws Exception {
        HlsRoom room = server.server().hls().room("demo").orElseThrow();
        try (Ffmpeg.Run publisher = publish("-re", "-stream_loop", "-1")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> room.lowLatencyPlaylist().isPresent());
            assertEquals(400, hls.get("ll.m3u8?_HLS_msn=" + (room.lowLatencyPlaylist().orElseThrow().view().openSequence() + 5))
                    .statusCode(), "too far in the future");
            ExecutorService clientThreads = Executors.newFixedThreadPool(2);
            HttpClient client = HttpClient.newBuilder().executor(clientThreads).build();
            int n = 200;
            List<CompletableFuture<HttpResponse<String>>> warmUp = new ArrayList<>();
            for (int i = 0; i < n; i++) { // opens the connections the blocking requests will reuse
                warmUp.add(client.sendAsync(HttpRequest.newBuilder(URI.create(server.httpUrl("/hls/demo/ll.m3u8"))).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> response : warmUp) {
                assertEquals(200, response.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode());
            }
            long[] appeared = new long[1];
            LowLatencyView now = room.lowLatencyPlaylist().orElseThrow().view();
            long msn = now.openSequence();
            int part = now.openParts().size() + 1; // the part after the next: surely not there yet
            Runnable watch = () -> {
                if (appeared[0] == 0 && room.lowLatencyPlaylist().map(p -> p.view().contains(msn, part)).orElse(false)) {
                    appeared[0] = System.nanoTime();
                }
            };

            room.addLowLatencyListener(watch);
            int threadsBefore = Thread.activeCount();
            List<CompletableFuture<Long>> answers = new ArrayList<>();
            URI uri = URI.create(server.httpUrl("/hls/demo/ll.m3u8?_HLS_msn=" + msn + "&_HLS_part=" + part));
            for (int i = 0; i < n; i++) {
                answers.add(client.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                        HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
                            long at = System.nanoTime();
                            assertEquals(200, response.statusCode());
                            assertTrue(PART.matcher(response.body()).find());
                            return at;
                        }));
            }
            int threadsWaiting = Thread.activeCount();
            List<Long> arrivals = new ArrayList<>();
            for (CompletableFuture<Long> answer : answers) {
                arrivals.add(answer.get(30, java.util.concurrent.TimeUnit.SECONDS));
            }
            room.removeLowLatencyListener(watch);
            double first = (arrivals.stream().mapToLong(Long::longValue).min().orElseThrow() - appeared[0]) / 1e6;
            double last = (arrivals.stream().mapToLong(Long::longValue).max().orElseThrow() - appeared[0]) / 1e6;
            double median = (arrivals.stream().mapToLong(Long::longValue).sorted().skip(n / 2).findFirst().orElseThrow()
                    - appeared[0]) / 1e6;
            long early = arrivals.stream().filter(at -> at < appeared[0]).count();
            System.out.printf("LL-HLS blocking reload: %d requests for msn %d part %d; threads %d before, %d while waiting;"
                    + " answered %.1f ms (first), %.1f ms (median), %.1f ms (last) after the part appeared (%d before it: must be 0)%n", n, msn,
                    part, threadsBefore, threadsWaiting, first, median, last, early);
            assertEquals(0, early, "no answer before the part existed");
            assertTrue(appeared[0] != 0, "the part came");
            assertTrue(threadsWaiting - threadsBefore < n / 4, "no thread per waiting request: " + threadsBefore + " -> "
                    + threadsWaiting);

            // The preload hint is served as soon as the part exists.
            String hint = room.lowLatencyPlaylist().orElseThrow().view().preloadHint();
            long asked = System.nanoTime();
            HttpResponse<byte[]> hinted = hls.get(hint);
            System.out.printf("LL-HLS preload hint %s: %d bytes after %.1f ms%n", hint, hinted.body().length,
                    (System.nanoTime() - asked) / 1e6);
            assertEquals(200, hinted.statusCode());
            assertTrue(hinted.body().length > 0);
            clientThreads.shutdownNow();
        }
    }

    @Test
    void aBlockedReloadTimesOutWith503AndOnlyTheHintedPartIsWaitedFor() throws Exception {
        HlsRoom room = server.server().hls().room("demo").orElseThrow();
        try (RtmpTestClient publisher = RtmpTestClient.connect("127.0.0.1", server.rtmpPort(), "live")) {
            int sid = publisher.publish(TestServer.KEY);
            List<MediaFrame> frames = SampleMedia.frames(SampleMedia.AV_720P);
            try {
                // The opening first, until the program is on air: the program takes the input at the keyframe its
                // GOP cache holds when it starts, and the rest of a burst would be past the next one by then.
                for (MediaFrame frame : frames) {
                    if (frame.timestamp() <= 100 && !(frame instanceof fluxrelay.media.ScriptFrame)) {
                        publisher.sendMedia(sid, frame instanceof VideoFrame ? 9 : 8, frame.timestamp(), frame.payload().retain());
                    }
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> server.server().streams().find("demo")
                        .map(hub -> hub.snapshot().publishing()).orElse(false));
                for (MediaFrame frame : frames) {
                    if (frame.timestamp() > 100 && frame.timestamp() <= 2500 && !(frame instanceof fluxrelay.media.ScriptFrame)) {
                        publisher.sendMedia(sid, frame instanceof VideoFrame ? 9 : 8, frame.timestamp(), frame.payload().retain());
                    }
                }
            } finally {
                frames.forEach(MediaFrame::release);
            }
            // Live, but stalled: segment 0 complete, segment 1 open (with a part or so, or none yet: what is waited
            // for below is the next segment and an unhinted part, neither of which ever comes), nothing more coming.
            await().atMost(Duration.ofSeconds(20)).until(() -> room.lowLatencyPlaylist()
                    .map(p -> p.view().openSequence() >= 1).orElse(false));
            LowLatencyView view = room.lowLatencyPlaylist().orElseThrow().view();
            assertEquals(404, hls.get("p-" + view.openSequence() + ".9.m4s").statusCode(), "unknown, not hinted: no wait");
            long asked = System.nanoTime();
            HttpResponse<byte[]> blocked = hls.get("ll.m3u8?_HLS_msn=" + (view.openSequence() + 1));
            double waited = (System.nanoTime() - asked) / 1e9;
            System.out.printf("LL-HLS blocked reload for a segment that never comes: %d after %.1f s (target duration %d s)%n",
                    blocked.statusCode(), waited, view.base().targetDuration());
            assertEquals(503, blocked.statusCode());
            assertTrue(waited >= 2.0 * view.base().targetDuration(), "it waited: " + waited);
        }
    }
}
