package fluxrelay.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.bandwidth.BandwidthVerdict;
import fluxrelay.bandwidth.VerdictSource;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.JsonFields;
import fluxrelay.testing.Requirements;
import fluxrelay.testing.ShapedLink;
import fluxrelay.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Bandwidth checks on real constrained links: viewers in network namespaces behind veth pairs shaped with
 * tc tbf to 2, 5 and 10 Mbit/s, against a 3 Mbit/s requirement.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BandwidthLinksTest {

    private static final double[] RATES = {2, 5, 10};
    private static final String STRICT_KEY = "strict-key-0123456789";

    private final List<ShapedLink> links = new ArrayList<>();
    private ShapedLink degrading;
    private TestServer server;

    private String unavailable;

    @BeforeAll
    void setUp() throws Exception {
        unavailable = ShapedLink.unavailableReason();
        if (unavailable == null && Requirements.executable("curl").isEmpty()) {
            unavailable = "curl is not installed (apt-get install curl)";
        }
        if (unavailable != null) {
            return;
        }
        for (int i = 0; i < RATES.length; i++) {
            links.add(ShapedLink.create(i, RATES[i]));
        }
        degrading = ShapedLink.create(RATES.length, 10);
        server = TestServer.start("relay.rtmp.host = \"0.0.0.0\"\nrelay.http.host = \"0.0.0.0\"\n"
                + "relay.bandwidth { required-mbps = 3, policy = warn, rtmp-detect-on-connect = true }\n"
                + "relay.rooms = [ { id = strict, app = live, stream-name = " + STRICT_KEY + ", bandwidth-policy = enforce } ]\n");
    }

    /** Each test reports itself skipped (or, under CI, failed), with the reason, where links cannot be made. */
    @BeforeEach
    void linksAvailable() {
        Requirements.require(unavailable == null, "shaped links: " + unavailable);
    }

    @AfterAll
    void tearDown() {
        if (server != null) {
            server.close();
        }
        links.forEach(ShapedLink::close);
        if (degrading != null) {
            degrading.close();
        }
    }

    private String probe(ShapedLink link, String room) throws Exception {
        String base = "http://" + link.hostAddress() + ":" + server.httpPort();
        String headers = link.exec(30, "curl", "-sS", "-D", "-", "-o", "/dev/null", base + "/bwcheck/" + room);
        String resultPath = headers.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("x-bandwidth-result:"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(null);
        assertNotNull(resultPath, headers);
        return link.exec(30, "curl", "-sS", base + resultPath);
    }

    /** How many measurements of one link a test may take before judging it: a busy shared host only slows transfers. */
    private static final int ATTEMPTS = 3;

    /** One measurement of a link, in Mbit/s, with the text to report it by. */
    private record Attempt(double mbps, String report) {
    }

    @FunctionalInterface
    private interface Measuring {
        Attempt measure() throws Exception;
    }

    /**
     * Measures {@code link} until a measurement falls within 20% of its shaped rate, at most {@link #ATTEMPTS} times,
     * and returns that measurement; fails with every attempt's figures when none does.
     */
    private static Attempt withinTwentyPercent(ShapedLink link, Measuring measuring) throws Exception {
        List<String> reports = new ArrayList<>();
        for (int i = 0; i < ATTEMPTS; i++) {
            Attempt attempt = measuring.measure();
            reports.add(attempt.report());
            if (Math.abs(attempt.mbps() - link.mbps()) <= 0.2 * link.mbps()) {
                return attempt;
            }
            System.out.printf(Locale.ROOT, "%s: attempt %d off by more than 20%%: %s%n", link, i + 1, attempt.report());
        }
        throw new AssertionError(link + ": no measurement within 20% in " + ATTEMPTS + " attempts: " + reports);
    }

    @Test
    void httpProbeMeasuresEachLinkWithinTwentyPercent() throws Exception {
        for (ShapedLink link : links) {
            Attempt attempt = withinTwentyPercent(link, () -> {
                String json = probe(link, "demo");
                return new Attempt(JsonFields.number(json, "measured_mbps"), json);
            });
            String json = attempt.report();
            System.out.printf(Locale.ROOT, "HTTP probe on %s: %s%n", link, json);
            assertEquals(link.mbps() < 3 ? "below" : "ok", JsonFields.string(json, "verdict"), json);
            assertEquals("tcp-acks", JsonFields.string(json, "method"), json);
        }
    }

    private BandwidthVerdict verdictOf(String room, ShapedLink link, VerdictSource source, Instant since) {
        return server.server().bandwidth().snapshot(room).map(s -> s.recent().stream()
                .filter(v -> v.source() == source && v.viewer().contains("/" + link.viewerAddress() + ":") && !v.at().isBefore(since))
                .reduce((a, b) -> b).orElse(null)).orElse(null);
    }

    @Test
    void rtmpDetectionWithRtmpdumpMeasuresEachLinkWithinTwentyPercent() throws Exception {
        Requirements.tool("rtmpdump", "apt-get install rtmpdump");
        for (ShapedLink link : links) {
            String url = "rtmp://" + link.hostAddress() + ":" + server.rtmpPort() + "/live/demo";
            List<BandwidthVerdict> verdicts = new ArrayList<>();
            withinTwentyPercent(link, () -> {
                Instant since = Instant.now();
                try (Ffmpeg.Run dump = link.start("rtmpdump", "-z", "-v", "-r", url, "-o", "/dev/null", "-m", "30")) {
                    BandwidthVerdict verdict = Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                            .until(() -> verdictOf("demo", link, VerdictSource.RTMP_DETECTION, since), v -> v != null);
                    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> dump.output().contains("onBWDone"));
                    verdicts.add(verdict);
                    return new Attempt(verdict.measurement().mbps(), verdict.toString());
                }
            });
            BandwidthVerdict verdict = verdicts.get(verdicts.size() - 1);
            System.out.printf(Locale.ROOT, "RTMP detection (rtmpdump) on %s: %.3f Mbit/s by %s, latency %.1f ms%n", link,
                    verdict.measurement().mbps(), verdict.measurement().method().label(), verdict.measurement().latencyMillis());
            assertEquals(link.mbps() >= 3, verdict.ok(), verdict.toString());
        }
    }

    /** A 2.5 Mbit/s clip (640x360 H.264 CBR 2.3 Mbit/s with filler, AAC 96 kbit/s), made once per run. */
    private static Path stream25() throws Exception {
        Path file = Files.createTempFile("bw-2.5mbps-", ".flv");
        file.toFile().deleteOnExit();
        try (Ffmpeg.Run make = Ffmpeg.startFfmpeg("-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "12", "-c:v", "libx264", "-preset", "ultrafast",
                "-b:v", "2300k", "-minrate", "2300k", "-maxrate", "2300k", "-bufsize", "2300k", "-x264-params", "nal-hrd=cbr:force-cfr=1",
                "-g", "60", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k", "-f", "flv", file.toString())) {
            assertEquals(0, make.await(60), make.output());
        }
        return file;
    }

    private Ffmpeg.Run publish(Path clip, String key) throws Exception {
        Ffmpeg.Run publisher = Ffmpeg.startFfmpeg("-loglevel", "warning", "-re", "-stream_loop", "-1", "-i", clip.toString(),
                "-c", "copy", "-f", "flv", "rtmp://127.0.0.1:" + server.rtmpPort() + "/live/" + key);
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> server.server().streams().find(roomOf(key))
                .map(s -> s.snapshot().gopCacheFrames() > 30).orElse(false));
        return publisher;
    }

    private static String roomOf(String key) {
        return key.equals(STRICT_KEY) ? "strict" : "demo";
    }

    private boolean flagged(String room, ShapedLink link) {
        return server.server().bandwidth().snapshot(room).map(s -> s.flagged().stream()
                .anyMatch(v -> v.viewer().contains("/" + link.viewerAddress() + ":"))).orElse(false);
    }

    /** The latest media timestamp the room's hub took in, ms: the stream's own clock, moving as it is published. */
    private long mediaMillis(String room) {
        return server.server().streams().stream(room, true).snapshot().lastTimestamp();
    }

    /**
     * Waits until the room's hub has taken in {@code millis} more media than at {@code fromMillis} and the room's
     * monitor has judged a viewer as keeping up (so {@code viewer}'s windows were sampled meanwhile), or until
     * {@code viewer} is flagged or {@code alive} is false: what a test then asserts did not happen had that long to.
     */
    private void playedOn(String room, long fromMillis, long millis, BooleanSupplier flagged,
                          BooleanSupplier alive) {
        Awaitility.await().atMost(Duration.ofMillis(millis + 30_000)).pollInterval(Duration.ofMillis(100))
                .until(() -> flagged.getAsBoolean() || !alive.getAsBoolean() || (mediaMillis(room) >= fromMillis + millis
                        && server.server().bandwidth().snapshot(room).map(s -> s.viewersOk() > 0).orElse(false)));
    }

    /** Playback verdicts of the room since {@code since} whose viewer matches: a flag, even one cleared since. */
    private List<BandwidthVerdict> flagsSince(String room, Predicate<String> viewer, Instant since) {
        return server.server().bandwidth().snapshot(room).map(s -> s.recent().stream()
                .filter(v -> v.source() == VerdictSource.PLAYBACK && viewer.test(v.viewer()) && !v.at().isBefore(since))
                .toList()).orElse(List.of());
    }

    @Test
    void duringPlaybackTheTwoMegabitViewerIsFlaggedAndTheTenMegabitOneIsNot() throws Exception {
        ShapedLink slow = links.get(0);
        ShapedLink fast = links.get(2);
        Path clip = stream25();
        try (Ffmpeg.Run publisher = publish(clip, TestServer.KEY)) {
            long joined = System.nanoTime();
            Instant joinedAt = Instant.now();
            try (Ffmpeg.Run slowViewer = slow.start("curl", "-sS", "-o", "/dev/null", "http://" + slow.hostAddress() + ":"
                    + server.httpPort() + "/live/demo.flv");
                 Ffmpeg.Run fastViewer = fast.start("curl", "-sS", "-o", "/dev/null", "http://" + fast.hostAddress() + ":"
                         + server.httpPort() + "/live/demo.flv")) {
                Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                        .until(() -> flagged("demo", slow));
                double seconds = (System.nanoTime() - joined) / 1e9;
                BandwidthVerdict verdict = server.server().bandwidth().snapshot("demo").orElseThrow().flagged().get(0);
                System.out.printf(Locale.ROOT, "playback: 2 Mbit/s http-flv viewer flagged after %.1f s: %s%n", seconds,
                        verdict.figures());
                // The fast viewer plays on for as long again (12 s more of the stream, its windows sampled) and is
                // never flagged.
                playedOn("demo", mediaMillis("demo"), 12_000, () -> flagged("demo", fast), fastViewer::alive);
                assertFalse(flagged("demo", fast), "10 Mbit/s viewer flagged: " + server.server().bandwidth().snapshot("demo"));
                assertEquals(List.of(), flagsSince("demo", v -> v.contains("/" + fast.viewerAddress() + ":"), joinedAt),
                        "10 Mbit/s viewer flagged meanwhile");
                assertTrue(fastViewer.alive(), fastViewer.output());
                System.out.println("playback snapshot: " + server.server().bandwidth().snapshot("demo").orElseThrow());
            }
        }
    }

    private boolean hlsFlagged(ShapedLink link) {
        return server.server().bandwidth().snapshot("demo").map(s -> s.flagged().stream()
                .anyMatch(v -> v.viewer().startsWith(link.viewerAddress() + " "))).orElse(false);
    }

    @Test
    void duringPlaybackTheTwoMegabitHlsClientIsFlaggedByItsSegmentDeliveriesAndTheTenMegabitOneIsNot() throws Exception {
        ShapedLink slow = links.get(0);
        ShapedLink fast = links.get(2);
        try (Ffmpeg.Run publisher = publish(stream25(), TestServer.KEY)) {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> server.server().hls().room("demo")
                    .flatMap(r -> r.playlists()).map(p -> p.media().split("#EXTINF").length > 3).orElse(false));
            long joined = System.nanoTime();
            Instant joinedAt = Instant.now();
            try (Ffmpeg.Run slowClient = slow.start(Ffmpeg.ffmpeg(), "-loglevel", "warning", "-i", "http://" + slow.hostAddress() + ":"
                    + server.httpPort() + "/hls/demo/stream.m3u8", "-c", "copy", "-f", "null", "-");
                 Ffmpeg.Run fastClient = fast.start(Ffmpeg.ffmpeg(), "-loglevel", "warning", "-i", "http://" + fast.hostAddress() + ":"
                         + server.httpPort() + "/hls/demo/stream.m3u8", "-c", "copy", "-f", "null", "-")) {
                Awaitility.await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).until(() -> hlsFlagged(slow));
                BandwidthVerdict verdict = server.server().bandwidth().snapshot("demo").orElseThrow().flagged().stream()
                        .filter(v -> v.viewer().startsWith(slow.viewerAddress() + " ")).findFirst().orElseThrow();
                System.out.printf(Locale.ROOT, "playback: 2 Mbit/s hls client flagged after %.1f s: %s over %d bytes%n",
                        (System.nanoTime() - joined) / 1e9, verdict.figures(), verdict.measurement().bytes());
                assertTrue(verdict.measurement().mbps() > 1.5 && verdict.measurement().mbps() < 2.6, verdict.toString());
                // The fast client plays on (10 s more of the stream, its segments judged) and is never flagged.
                playedOn("demo", mediaMillis("demo"), 10_000, () -> hlsFlagged(fast), fastClient::alive);
                assertFalse(hlsFlagged(fast), "10 Mbit/s hls client flagged: " + server.server().bandwidth().snapshot("demo"));
                assertEquals(List.of(), flagsSince("demo", v -> v.startsWith(fast.viewerAddress() + " "), joinedAt),
                        "10 Mbit/s hls client flagged meanwhile");
                assertTrue(fastClient.alive(), fastClient.output());
            }
        }
    }

    private String httpStatus(ShapedLink link, String pathAndQuery) throws Exception {
        // A stream that plays never ends: curl stops after 2 s, having printed the status and the body so far.
        return link.exec(20, "curl", "-s", "-m", "2", "-o", "-", "-w", "\nstatus=%{http_code}\n",
                "http://" + link.hostAddress() + ":" + server.httpPort() + pathAndQuery);
    }

    @Test
    void underEnforceHttpFlvNeedsAPassingTokenAndRefusesTheTwoMegabitViewerWithTheFigures() throws Exception {
        String noToken = httpStatus(links.get(2), "/live/strict.flv");
        assertTrue(noToken.contains("status=403") && noToken.contains("\"required_mbps\":3.000"), noToken);
        for (ShapedLink link : links) {
            String token = JsonFields.string(probe(link, "strict"), "token");
            String answer = httpStatus(link, "/live/strict.flv?bwtoken=" + token);
            System.out.printf(Locale.ROOT, "enforce http-flv on %s: %s%n", link,
                    answer.startsWith("FLV") ? "FLV stream, " + answer.substring(answer.lastIndexOf("status=")) : answer.trim());
            if (link.mbps() < 3) {
                assertTrue(answer.contains("status=403"), answer);
                assertTrue(answer.contains("\"measured_mbps\":1.") && answer.contains("\"required_mbps\":3.000"), answer);
            } else {
                assertTrue(answer.contains("status=200") && answer.startsWith("FLV\u0001"), answer.lines().toList().toString());
            }
        }
        assertTrue(server.server().bandwidth().snapshot("strict").orElseThrow().refusedTotal() >= 2);
    }

    @Test
    void underEnforceRtmpPlayIsRefusedOnTheTwoMegabitLinkWithInsufficientBw() throws Exception {
        Requirements.tool("rtmpdump", "apt-get install rtmpdump");
        for (ShapedLink link : links) {
            String url = "rtmp://" + link.hostAddress() + ":" + server.rtmpPort() + "/live/strict";
            try (Ffmpeg.Run dump = link.start("rtmpdump", "-z", "-v", "-r", url, "-o", "/dev/null", "-m", "30")) {
                if (link.mbps() < 3) {
                    Awaitility.await().atMost(Duration.ofSeconds(20))
                            .until(() -> dump.output().contains("NetStream.Play.InsufficientBW"));
                    String refusal = dump.output().lines().filter(l -> l.contains("too slow")).findFirst().orElse("");
                    System.out.printf(Locale.ROOT, "enforce rtmp on %s: %s%n", link, refusal.trim());
                    assertTrue(refusal.contains("required 3.0 Mbit/s"), dump.output());
                } else {
                    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> dump.output().contains("NetStream.Play.Start"));
                    assertFalse(dump.output().contains("InsufficientBW"), dump.output());
                }
            }
        }
    }

    @Test
    void underEnforceAViewerWhoseLinkDegradesDuringPlaybackIsDisconnectedWithTheFigures() throws Exception {
        Requirements.tool("rtmpdump", "apt-get install rtmpdump");
        degrading.reshape(10);
        try (Ffmpeg.Run publisher = publish(stream25(), STRICT_KEY);
             Ffmpeg.Run dump = degrading.start("rtmpdump", "-z", "-v", "-r", "rtmp://" + degrading.hostAddress() + ":"
                     + server.rtmpPort() + "/live/strict", "-o", "/dev/null", "-m", "60")) {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> dump.output().contains("NetStream.Play.Start"));
            // Three seconds more of the stream, the viewer judged as keeping up on the 10 Mbit/s link.
            playedOn("strict", mediaMillis("strict"), 3_000, () -> flagged("strict", degrading), dump::alive);
            assertFalse(flagged("strict", degrading), "flagged while the link carried 10 Mbit/s");
            long degraded = System.nanoTime();
            degrading.reshape(2);
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> dump.output().contains("NetStream.Play.InsufficientBW") || !dump.alive());
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> !dump.alive());
            String status = dump.output().lines().filter(l -> l.contains("too slow")).findFirst().orElse("(no status seen)");
            System.out.printf(Locale.ROOT, "enforce playback: link 10 -> 2 Mbit/s, viewer disconnected %.1f s later: %s%n",
                    (System.nanoTime() - degraded) / 1e9, status.trim());
            assertTrue(server.server().bandwidth().snapshot("strict").orElseThrow().disconnectedTotal() >= 1);
            assertTrue(status.contains("required 3.0 Mbit/s"), dump.output().lines().filter(l -> l.contains("onStatus")
                    || l.contains("code")).toList().toString());
        }
    }
}
