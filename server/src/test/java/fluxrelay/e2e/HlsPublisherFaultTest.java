package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.HlsTestClient;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HLS playlist stays valid through publisher faults: an encoder killed mid-stream (SIGKILL, so its last
 * message is cut off) and another one taking the room over. Every version of the playlist a player could have
 * fetched meanwhile is checked (RFC 8216: media sequence never going back, target duration covering every
 * segment, every listed segment served), and ffprobe reads the result.
 */
class HlsPublisherFaultTest {

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

    private Ffmpeg.Run publish() throws Exception {
        return Ffmpeg.startFfmpeg("-re", "-stream_loop", "-1", "-i", SampleMedia.file(SampleMedia.AV_720P).toString(), "-c", "copy",
                "-f", "flv", server.rtmpUrl("live", TestServer.KEY));
    }

    private int listed() throws Exception {
        String playlist = hls.playlist("stream.m3u8");
        return playlist == null ? 0 : HlsTestClient.entries(playlist).size();
    }

    @Test
    void playlistsStayValidWhenThePublisherIsKilledAndAnotherTakesOver() throws Exception {
        List<String> problems = new CopyOnWriteArrayList<>();
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicInteger versions = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            long lastSequence = -1;
            while (sampling.get()) {
                try {
                    String playlist = hls.playlist("stream.m3u8");
                    if (playlist != null) {
                        versions.incrementAndGet();
                        check(playlist, lastSequence, problems);
                        lastSequence = Long.parseLong(HlsTestClient.tag(playlist, "#EXT-X-MEDIA-SEQUENCE"));
                    }
                    Thread.sleep(150);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    problems.add("sampling failed: " + e);
                }
            }
        }, "playlist-sampler");
        sampler.start();
        try {
            Ffmpeg.Run first = publish();
            await().atMost(Duration.ofSeconds(30)).until(() -> listed() >= 2);
            first.kill();
            // The server saw the publisher go, and the sampler checked a playlist of the room without it.
            await().atMost(Duration.ofSeconds(10)).until(() -> !server.server().streams().stream("demo", true).snapshot().publishing());
            int sampled = versions.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> versions.get() > sampled);
            try (Ffmpeg.Run second = publish()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    String playlist = hls.playlist("stream.m3u8");
                    if (playlist == null || !playlist.contains("#EXT-X-DISCONTINUITY")) {
                        return false;
                    }
                    List<HlsTestClient.Entry> entries = HlsTestClient.entries(playlist);
                    int after = entries.size() - entries.stream().map(HlsTestClient.Entry::discontinuity).toList().lastIndexOf(true);
                    return after >= 2;
                });
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                String playlist = hls.playlist("stream.m3u8");
                return playlist != null && playlist.contains("#EXT-X-ENDLIST");
            });
        } finally {
            sampling.set(false);
            sampler.interrupt();
            sampler.join(5000);
        }
        String last = hls.playlist("stream.m3u8");
        check(last, -1, problems);
        assertTrue(problems.isEmpty(), "invalid playlist versions:\n" + String.join("\n", problems));
        assertTrue(versions.get() > 10, "the sampler saw the playlist change through the fault: " + versions.get());
        try (Ffmpeg.Run probe = Ffmpeg.startFfprobe("-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                server.httpUrl("/hls/demo/stream.m3u8"))) {
            assertEquals(0, probe.await(60), probe.output());
        }
        System.out.printf("HLS through a killed publisher and a takeover: %d playlist versions checked, final playlist:%n%s%n",
                versions.get(), last);
    }

    private void check(String playlist, long lastSequence, List<String> problems) throws Exception {
        String sequenceTag = HlsTestClient.tag(playlist, "#EXT-X-MEDIA-SEQUENCE");
        String targetTag = HlsTestClient.tag(playlist, "#EXT-X-TARGETDURATION");
        if (!playlist.startsWith("#EXTM3U\n") || sequenceTag == null || targetTag == null) {
            problems.add("missing header tags:\n" + playlist);
            return;
        }
        long sequence = Long.parseLong(sequenceTag);
        if (sequence < lastSequence) {
            problems.add("media sequence went back from " + lastSequence + " to " + sequence);
        }
        int target = Integer.parseInt(targetTag);
        List<HlsTestClient.Entry> entries = HlsTestClient.entries(playlist);
        for (HlsTestClient.Entry entry : entries) {
            if (Math.round(entry.duration()) > target) {
                problems.add("segment " + entry.uri() + " of " + entry.duration() + " s above the target duration " + target);
            }
        }
        if (!entries.isEmpty()) {
            String newest = entries.get(entries.size() - 1).uri();
            int status = hls.get(newest).statusCode();
            if (status != 200) {
                problems.add("listed segment " + newest + " answered " + status);
            }
        }
    }
}
