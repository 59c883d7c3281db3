package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.stream.IngestSnapshot;
import fluxrelay.stream.LiveStream;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.HubRecorder;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real encoder (ffmpeg 7.1, digest handshake) publishing to the real server. */
class IngestEndToEndTest {

    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start("relay.rtmp.publisher-takeover-after = 1s");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HubRecorder record() {
        LiveStream hub = server.server().streams().stream(fluxrelay.stream.FeedId.main("demo"), true);
        HubRecorder recorder = new HubRecorder();
        hub.subscribe(recorder);
        return recorder;
    }

    @Test
    void theServerReceivesExactlyTheFramesOfTheFileWithTheirTimestamps() throws Exception {
        HubRecorder recorder = record();
        Path sample = SampleMedia.file(SampleMedia.AV_720P);
        try (Ffmpeg.Run ffmpeg = Ffmpeg.startFfmpeg("-loglevel", "info", "-i", sample.toString(), "-c", "copy", "-f", "flv",
                server.rtmpUrl("live", TestServer.KEY))) {
            assertEquals(0, ffmpeg.await(60), ffmpeg.output());
        }
        List<SampleMedia.Tag> expected = SampleMedia.mediaTags(SampleMedia.AV_720P);
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.media().size() >= expected.size());
        for (int type : new int[] {8, 9}) {
            // End-of-sequence markers are written by the encoder's muxer at its own time, not carried from the input.
            List<String> want = expected.stream().filter(t -> t.type() == type && !t.endOfSequence())
                    .map(t -> t.timestamp() + ":" + t.size() + (t.keyframe() ? "K" : "")).toList();
            List<String> got = recorder.media().stream().filter(f -> f.tagType() == type && !f.endOfSequence())
                    .map(f -> f.timestamp() + ":" + f.size() + (f.keyframe() ? "K" : "")).toList();
            assertEquals(want, got, "frames of type " + type);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !server.server().streams().stream(fluxrelay.stream.FeedId.main("demo"), true).snapshot().publishing());
    }

    @Test
    void theRoomStateShowsWhatTheEncoderSends() throws Exception {
        Path sample = SampleMedia.file(SampleMedia.AV_720P);
        LiveStream hub = server.server().streams().stream(fluxrelay.stream.FeedId.main("demo"), true);
        try (Ffmpeg.Run ffmpeg = Ffmpeg.startFfmpeg("-re", "-stream_loop", "-1", "-i", sample.toString(), "-c", "copy", "-f", "flv",
                server.rtmpUrl("live", TestServer.KEY))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> hub.snapshot().ingest() != null
                    && hub.snapshot().ingest().keyframeIntervalMs() > 0 && hub.snapshot().ingest().videoKbps() > 0);
            IngestSnapshot ingest = hub.snapshot().ingest();
            assertEquals("avc1.64001f", ingest.video().codecString());
            assertEquals(1280, ingest.video().width());
            assertEquals(720, ingest.video().height());
            assertEquals(30.0, ingest.video().frameRate(), 0.01);
            assertEquals("mp4a.40.2", ingest.audio().codecString());
            assertEquals(48000, ingest.audio().sampleRate());
            assertEquals(2000, ingest.keyframeIntervalMs());
            assertTrue(ingest.encoder().startsWith("Lavf"), ingest.encoder());
            assertTrue(ingest.videoKbps() > 500 && ingest.videoKbps() < 5000, "video kbit/s " + ingest.videoKbps());
            assertTrue(ingest.warnings().isEmpty(), ingest.warnings().toString());
            assertNotNull(hub.snapshot().publisherAddress());
        }
    }

    @Test
    void strictPolicyRefusesAStreamAboveHd() throws Exception {
        server.close();
        server = TestServer.start("relay.ingest-policy { strict = true, max-width = 1024, max-height = 576 }");
        Path sample = SampleMedia.file(SampleMedia.AV_720P);
        try (Ffmpeg.Run ffmpeg = Ffmpeg.startFfmpeg("-loglevel", "info", "-re", "-i", sample.toString(), "-c", "copy", "-f", "flv",
                server.rtmpUrl("live", TestServer.KEY))) {
            assertNotEquals(0, ffmpeg.await(30), ffmpeg.output());
            assertTrue(ffmpeg.output().contains("above the allowed 1024x576"), ffmpeg.output());
        }
    }

    @Test
    void aStreamOutsideThePolicyIsFlaggedWhenNotStrict() throws Exception {
        server.close();
        server = TestServer.start("relay.ingest-policy { max-width = 1024, max-height = 576 }");
        LiveStream hub = server.server().streams().stream(fluxrelay.stream.FeedId.main("demo"), true);
        Path sample = SampleMedia.file(SampleMedia.AV_720P);
        try (Ffmpeg.Run ffmpeg = Ffmpeg.startFfmpeg("-re", "-stream_loop", "-1", "-i", sample.toString(), "-c", "copy", "-f", "flv",
                server.rtmpUrl("live", TestServer.KEY))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> hub.snapshot().ingest() != null
                    && !hub.snapshot().ingest().warnings().isEmpty());
            assertTrue(hub.snapshot().ingest().warnings().get(0).contains("1280x720"), hub.snapshot().ingest().warnings().toString());
            assertTrue(ffmpeg.alive());
        }
    }

    @Test
    void aWrongStreamKeyIsRefusedWithAReasonTheEncoderShows() throws Exception {
        Path sample = SampleMedia.file(SampleMedia.AV_720P);
        try (Ffmpeg.Run ffmpeg = Ffmpeg.startFfmpeg("-loglevel", "info", "-re", "-i", sample.toString(), "-c", "copy", "-f", "flv",
                server.rtmpUrl("live", "not-the-key"))) {
            int exit = ffmpeg.await(30);
            assertNotEquals(0, exit, ffmpeg.output());
            assertTrue(ffmpeg.output().contains("Unknown stream key"), ffmpeg.output());
        }
        assertEquals(false, server.server().streams().stream(fluxrelay.stream.FeedId.main("demo"), true).snapshot().publishing());
    }

    @Test
    void anUnknownAppIsRefusedAtConnect() throws Exception {
        Path sample = SampleMedia.file(SampleMedia.AUDIO_ONLY);
        try (Ffmpeg.Run ffmpeg = Ffmpeg.startFfmpeg("-loglevel", "info", "-re", "-i", sample.toString(), "-c", "copy", "-f", "flv",
                server.rtmpUrl("nosuchapp", TestServer.KEY))) {
            int exit = ffmpeg.await(30);
            assertNotEquals(0, exit, ffmpeg.output());
            assertTrue(ffmpeg.output().contains("Unknown application"), ffmpeg.output());
        }
    }

    @Test
    void aKilledPublisherIsReplacedAtOnceByItsReconnect() throws Exception {
        HubRecorder recorder = record();
        Path sample = SampleMedia.file(SampleMedia.AV_720P);
        String url = server.rtmpUrl("live", TestServer.KEY);
        try (Ffmpeg.Run first = Ffmpeg.startFfmpeg("-re", "-stream_loop", "-1", "-i", sample.toString(), "-c", "copy", "-f", "flv", url)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> recorder.media().size() > 30);
            first.close(); // SIGTERM then SIGKILL: the encoder vanishes mid-stream
        }
        int before = recorder.media().size();
        try (Ffmpeg.Run second = Ffmpeg.startFfmpeg("-re", "-i", sample.toString(), "-c", "copy", "-f", "flv", url)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> recorder.media().size() > before + 30);
            assertTrue(second.alive(), second.output());
        }
        List<HubRecorder.Frame> frames = recorder.media();
        for (int i = 1; i < frames.size(); i++) {
            assertTrue(frames.get(i).timestamp() >= frames.get(i - 1).timestamp(), "timestamps went backwards at " + i);
        }
    }

    @Test
    void aSecondLivePublisherIsRefusedWhileTheFirstSendsData() throws Exception {
        HubRecorder recorder = record();
        Path sample = SampleMedia.file(SampleMedia.AV_720P);
        String url = server.rtmpUrl("live", TestServer.KEY);
        try (Ffmpeg.Run first = Ffmpeg.startFfmpeg("-re", "-stream_loop", "-1", "-i", sample.toString(), "-c", "copy", "-f", "flv", url)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> recorder.media().size() > 30);
            try (Ffmpeg.Run second = Ffmpeg.startFfmpeg("-loglevel", "info", "-re", "-i", sample.toString(), "-c", "copy", "-f", "flv",
                    url)) {
                assertNotEquals(0, second.await(30), second.output());
                assertTrue(second.output().contains("Already publishing"), second.output());
            }
            assertTrue(first.alive(), first.output());
        }
    }
}
