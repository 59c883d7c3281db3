package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import fluxrelay.bandwidth.BandwidthVerdict;
import fluxrelay.bandwidth.MeasurementMethod;
import fluxrelay.bandwidth.VerdictSource;
import fluxrelay.rtmp.session.RtmpSession;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Requirements;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Real RTMP players against the server's FMS-style bandwidth detection (run after connect): rtmpdump (librtmp)
 * answers every onBWCheck, ffmpeg answers none and asks again with _checkbw after onBWDone; both get onBWDone
 * and keep playing.
 */
class BandwidthDetectionInteropTest {

    private TestServer server;
    private Ffmpeg.Run publisher;
    private final ListAppender<ILoggingEvent> sessionLog = new ListAppender<>();
    private final Logger sessionLogger = (Logger) LoggerFactory.getLogger(RtmpSession.class.getPackageName() + ".SessionBandwidth");
    private Level sessionLevel;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start("relay.bandwidth { required-mbps = 3, policy = warn, rtmp-detect-on-connect = true }");
        sessionLevel = sessionLogger.getLevel();
        sessionLogger.setLevel(Level.DEBUG);
        sessionLog.start();
        sessionLogger.addAppender(sessionLog);
        publisher = Ffmpeg.startFfmpeg("-re", "-stream_loop", "-1", "-i", SampleMedia.file(SampleMedia.AV_720P).toString(),
                "-c", "copy", "-f", "flv", server.rtmpUrl("live", TestServer.KEY));
        await().atMost(Duration.ofSeconds(15)).until(() -> server.server().streams().find("demo")
                .map(s -> s.snapshot().publishing()).orElse(false));
    }

    @AfterEach
    void stop() throws Exception {
        sessionLogger.detachAppender(sessionLog);
        sessionLogger.setLevel(sessionLevel);
        if (publisher != null) {
            publisher.close();
        }
        server.close();
    }

    private List<BandwidthVerdict> detections() {
        return server.server().bandwidth().snapshot("demo").map(s -> s.recent().stream()
                .filter(v -> v.source() == VerdictSource.RTMP_DETECTION).toList()).orElse(List.of());
    }

    private static double seconds(Path flv) throws Exception {
        try (Ffmpeg.Run probe = Ffmpeg.startFfprobe("-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", flv.toString())) {
            assertEquals(0, probe.await(30), probe.output());
            return Double.parseDouble(probe.output().trim());
        }
    }

    /** The media time rtmpdump's latest progress line ("123.456 kB / 7.89 sec") reports, or -1 before the first. */
    private static double playedSeconds(String output) {
        Matcher progress = Pattern.compile("kB / ([0-9]+\\.[0-9]+) sec").matcher(output);
        double last = -1;
        while (progress.find()) {
            last = Double.parseDouble(progress.group(1));
        }
        return last;
    }

    @Test
    void rtmpdumpAnswersTheBurstsGetsOnBwDoneAndKeepsPlaying() throws Exception {
        Requirements.tool("rtmpdump", "apt-get install rtmpdump");
        Path out = Files.createTempFile("rtmpdump-", ".flv");
        out.toFile().deleteOnExit();
        List<String> command = List.of("rtmpdump", "-z", "-v", "-r", server.rtmpUrl("live", "demo"), "-o", out.toString(), "-m", "30");
        try (Ffmpeg.Run dump = Ffmpeg.startProcess(command)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> dump.output().contains("server invoking <onBWDone>"));
            assertTrue(dump.output().contains("server invoking <onBWCheck>"), dump.output());
            // It plays on for six seconds of media after onBWDone (its progress line counts them), then the test stops it.
            double started = await().atMost(Duration.ofSeconds(20)).until(() -> dump.alive() ? playedSeconds(dump.output()) : 0,
                    played -> played >= 0);
            await().atMost(Duration.ofSeconds(30)).until(() -> !dump.alive() || playedSeconds(dump.output()) >= started + 6);
            assertTrue(dump.alive(), dump.output());
        }
        assertTrue(seconds(out) >= 5, "rtmpdump stopped playing after onBWDone");
        BandwidthVerdict verdict = detections().get(0);
        assertTrue(verdict.ok() && verdict.measurement().complete(), verdict.toString());
    }

    @Test
    void ffmpegGetsOnBwDoneAsksAgainAndKeepsPlaying() throws Exception {
        Path out = Files.createTempFile("ffmpeg-play-", ".flv");
        out.toFile().deleteOnExit();
        try (Ffmpeg.Run player = Ffmpeg.startFfmpeg("-loglevel", "warning", "-y", "-i", server.rtmpUrl("live", "demo"), "-t", "6",
                "-c", "copy", "-f", "flv", out.toString())) {
            assertEquals(0, player.await(60), player.output());
        }
        assertTrue(seconds(out) >= 5, "ffmpeg stopped playing after onBWDone");
        // ffmpeg answers onBWDone with _checkbw: proof it got it. Its detection was timed by TCP acks (epoll) since it
        // never answers onBWCheck.
        await().atMost(Duration.ofSeconds(5)).until(() -> sessionLog.list.stream()
                .anyMatch(e -> e.getFormattedMessage().contains("asked for again after onBWDone")));
        BandwidthVerdict verdict = detections().get(0);
        assertTrue(verdict.measurement().method() == MeasurementMethod.TCP_ACKS
                || verdict.measurement().method() == MeasurementMethod.WRITE_COMPLETION, verdict.toString());
    }
}
