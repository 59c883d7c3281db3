package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.stream.LiveStream;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Requirements;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real RTMP players (ffmpeg, rtmpdump) keep playing while the room's encoder is replaced: killed and restarted, or
 * frozen and taken over by a newcomer with the same key. A room whose encoder does not come back within
 * {@code relay.stream.publisher-gap-grace} still ends their play.
 */
class PublisherTakeoverEndToEndTest {

    /** ffmpeg's {@code -progress} lines: microseconds of output written. */
    private static final Pattern FFMPEG_TIME = Pattern.compile("out_time_us=(\\d+)");
    /** rtmpdump's progress: kilobytes and the timestamp (seconds) of the last packet received. */
    private static final Pattern RTMPDUMP_TIME = Pattern.compile("[\\d.]+ kB / ([\\d.]+) sec");

    @TempDir
    Path dir;
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private LiveStream hub() {
        return server.server().streams().stream("demo", true);
    }

    private Ffmpeg.Run publish() throws Exception {
        return Ffmpeg.startFfmpeg("-loglevel", "warning", "-re", "-stream_loop", "-1", "-i", SampleMedia.file(SampleMedia.AV_720P).toString(),
                "-c", "copy", "-f", "flv", server.rtmpUrl("live", TestServer.KEY));
    }

    /** ffmpeg playing the room over RTMP, decoding everything, reporting its progress. */
    private Ffmpeg.Run ffmpegPlayer() throws Exception {
        return Ffmpeg.startFfmpeg("-loglevel", "info", "-progress", "pipe:1", "-stats_period", "0.25",
                "-i", server.rtmpUrl("live", "demo"), "-f", "null", "-");
    }

    private Ffmpeg.Run rtmpdump(Path file) throws Exception {
        return Ffmpeg.startProcess(List.of("rtmpdump", "-v", "-r", server.rtmpUrl("live", "demo"), "-o", file.toString(), "-m", "30"));
    }

    /** The last position a player reported, in seconds; 0 before its first report. */
    private static double position(Ffmpeg.Run player, Pattern pattern, double scale) {
        Matcher m = pattern.matcher(player.output());
        double last = 0;
        while (m.find()) {
            last = Double.parseDouble(m.group(1)) / scale;
        }
        return last;
    }

    private static double ffmpegSeconds(Ffmpeg.Run player) {
        return position(player, FFMPEG_TIME, 1_000_000);
    }

    private static double rtmpdumpSeconds(Ffmpeg.Run player) {
        return position(player, RTMPDUMP_TIME, 1);
    }

    /** Both players started and played a few seconds of the first encoder. */
    private void awaitPlaying(Ffmpeg.Run ffmpeg, Ffmpeg.Run dump) {
        await().atMost(Duration.ofSeconds(30)).failFast(() -> !ffmpeg.alive() || !dump.alive())
                .until(() -> ffmpegSeconds(ffmpeg) >= 3 && rtmpdumpSeconds(dump) >= 3);
    }

    /**
     * Both players, still running, went on well past where they were when the first encoder stopped: eight seconds
     * more, of which at most the gap (about a second) is not the new encoder's media.
     */
    private static void awaitPlayedOn(Ffmpeg.Run ffmpeg, double ffmpegAtSwitch, Ffmpeg.Run dump, double dumpAtSwitch) {
        await().atMost(Duration.ofSeconds(40))
                .failFast("a player stopped: ffmpeg " + ffmpegAtSwitch + " s at the switch, rtmpdump " + dumpAtSwitch + " s",
                        () -> !ffmpeg.alive() || !dump.alive())
                .until(() -> ffmpegSeconds(ffmpeg) >= ffmpegAtSwitch + 8 && rtmpdumpSeconds(dump) >= dumpAtSwitch + 8);
    }

    /** Sends a signal (STOP, CONT) to a process a test started. */
    private static void signal(Ffmpeg.Run process, String signal) throws Exception {
        try (Ffmpeg.Run kill = Ffmpeg.startProcess(List.of("kill", "-" + signal, String.valueOf(process.pid())))) {
            assertEquals(0, kill.await(10), kill.output());
        }
    }

    /** Seconds of video a file holds, by ffprobe reading (demuxing) every packet of it. */
    private static double videoSeconds(Path file) throws Exception {
        try (Ffmpeg.Run probe = Ffmpeg.startFfprobe("-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time",
                "-of", "csv=p=0", file.toString())) {
            assertEquals(0, probe.await(60), probe.output());
            List<Double> times = probe.output().lines().map(String::trim).filter(l -> l.matches("[\\d.]+"))
                    .map(Double::parseDouble).toList();
            assertFalse(times.isEmpty(), probe.output());
            return times.get(times.size() - 1) - times.get(0);
        }
    }

    @Test
    void rtmpPlayersStayWhenAKilledEncoderIsReplacedByItsReconnect() throws Exception {
        Requirements.tool("rtmpdump", "apt-get install rtmpdump");
        server = TestServer.start("relay.rtmp.publisher-takeover-after = 1s");
        Path dumped = dir.resolve("rtmpdump.flv");
        try (Ffmpeg.Run first = publish()) {
            await().atMost(Duration.ofSeconds(15)).until(() -> hub().snapshot().visible());
            try (Ffmpeg.Run ffmpeg = ffmpegPlayer(); Ffmpeg.Run dump = rtmpdump(dumped)) {
                awaitPlaying(ffmpeg, dump);
                first.kill(); // SIGKILL: the encoder vanishes mid-stream, as in a crash
                await().atMost(Duration.ofSeconds(5)).until(() -> !hub().snapshot().publishing());
                double ffmpegAtSwitch = ffmpegSeconds(ffmpeg);
                double dumpAtSwitch = rtmpdumpSeconds(dump);
                try (Ffmpeg.Run second = publish()) {
                    awaitPlayedOn(ffmpeg, ffmpegAtSwitch, dump, dumpAtSwitch);
                    assertTrue(second.alive(), second.output());
                }
                assertFalse(ffmpeg.output().contains("UnpublishNotify"), ffmpeg.output());
            }
        }
        assertTrue(videoSeconds(dumped) >= 10, "what rtmpdump saved decodes across the switch");
    }

    @Test
    void rtmpPlayersStayWhenAFrozenEncoderIsTakenOver() throws Exception {
        Requirements.tool("rtmpdump", "apt-get install rtmpdump");
        server = TestServer.start("relay.rtmp.publisher-takeover-after = 1s");
        Path dumped = dir.resolve("rtmpdump.flv");
        try (Ffmpeg.Run first = publish()) {
            await().atMost(Duration.ofSeconds(15)).until(() -> hub().snapshot().visible());
            try (Ffmpeg.Run ffmpeg = ffmpegPlayer(); Ffmpeg.Run dump = rtmpdump(dumped)) {
                awaitPlaying(ffmpeg, dump);
                // SIGSTOP: the encoder's connection stays open but nothing more arrives, as behind a dead link.
                signal(first, "STOP");
                // The server has seen a second of silence, so the newcomer may take the room over.
                AtomicLong lastSeen = new AtomicLong(-1);
                await().atMost(Duration.ofSeconds(10)).during(Duration.ofMillis(1200))
                        .until(() -> {
                            long now = hub().snapshot().lastTimestamp();
                            return lastSeen.getAndSet(now) == now;
                        });
                long frozenAt = lastSeen.get();
                double ffmpegAtSwitch = ffmpegSeconds(ffmpeg);
                double dumpAtSwitch = rtmpdumpSeconds(dump);
                try (Ffmpeg.Run second = publish()) {
                    await().atMost(Duration.ofSeconds(10)).until(() -> hub().snapshot().lastTimestamp() > frozenAt + 500);
                    awaitPlayedOn(ffmpeg, ffmpegAtSwitch, dump, dumpAtSwitch);
                    assertTrue(second.alive(), second.output());
                }
            }
        }
        assertTrue(videoSeconds(dumped) >= 10, "what rtmpdump saved decodes across the takeover");
    }

    @Test
    void rtmpPlayersAreToldWhenTheEncoderDoesNotComeBackWithinTheGrace() throws Exception {
        Requirements.tool("rtmpdump", "apt-get install rtmpdump");
        server = TestServer.start("relay.stream.publisher-gap-grace = 1s");
        try (Ffmpeg.Run first = publish()) {
            await().atMost(Duration.ofSeconds(15)).until(() -> hub().snapshot().visible());
            try (Ffmpeg.Run ffmpeg = ffmpegPlayer(); Ffmpeg.Run dump = rtmpdump(dir.resolve("rtmpdump.flv"))) {
                awaitPlaying(ffmpeg, dump);
                first.kill();
                long gone = System.nanoTime();
                await().atMost(Duration.ofSeconds(15)).until(() -> !ffmpeg.alive() && !dump.alive());
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - gone);
                assertTrue(millis >= 900, "told only after the grace, not at once: " + millis + " ms");
                // rtmpdump ends a live download that the server says is unpublished as complete.
                assertTrue(dump.output().contains("Download complete"), dump.output());
            }
        }
    }
}
