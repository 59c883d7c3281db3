package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.flv.FlvTagDemuxer;
import fluxrelay.flv.FourCc;
import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.media.codec.AvcDecoderConfig;
import fluxrelay.media.codec.AvcSps;
import fluxrelay.rtmp.command.StatusCodes;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.HttpFlvTestClient;
import fluxrelay.testing.MultitrackCapture;
import fluxrelay.testing.MultitrackRoom;
import fluxrelay.testing.RtmpTestClient;
import fluxrelay.testing.RtmpTestClient.TrackMessage;
import fluxrelay.testing.TestServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Multitrack delivery to players that announce Enhanced RTMP v2 multitrack: FFmpeg 8.1's capture of two H.264 tracks
 * (320x240, 160x120) and two AAC tracks is replayed over RTMP ({@link MultitrackCapture}), so room {@code demo} has
 * rendition {@code 120p}. A player whose {@code connect} has {@code capsEx} Multitrack gets, in one play of the room,
 * the program as ordinary single-track messages and the rendition as OneTrack messages of track 1 (a 160x120 H.264
 * sequence start, coded frames, AAC), each track's timestamps never going back. A player that does not announce it
 * gets the program alone. HTTP-FLV with {@code ?tracks=all} carries the same as multitrack tags, read back here with our
 * own multitrack reader: the FFmpeg the tests run (7.1) does not read multitrack FLV, only FFmpeg 8 does.
 */
class MultitrackPlaybackEndToEndTest {

    private static MultitrackRoom room;
    private static TestServer server;

    @BeforeAll
    static void publish() throws Exception {
        room = MultitrackRoom.start("");
        server = room.server();
    }

    @AfterAll
    static void stop() throws Exception {
        if (room != null) {
            room.close();
        }
    }

    @Test
    void aMultitrackPlayerGetsTheProgramAndTheRenditionAsTrackOne() throws Exception {
        try (RtmpTestClient viewer = RtmpTestClient.connectMultitrack("127.0.0.1", server.rtmpPort(), "live")) {
            viewer.play("demo");
            viewer.awaitStatus(StatusCodes.PLAY_START, Duration.ofSeconds(10));
            // Two seconds of each: the rendition's video and audio as track 1, the program as before.
            await().atMost(Duration.ofSeconds(20)).until(() -> span(viewer.trackMessages(), true) >= 2000
                    && span(viewer.trackMessages(), false) >= 2000 && programVideoSpan(viewer) >= 2000);

            List<TrackMessage> tracks = viewer.trackMessages();
            assertTrue(tracks.stream().allMatch(m -> m.track() == 1), "only track 1: " + tracks.size());
            TrackMessage videoStart = tracks.stream().filter(m -> m.isVideo() && m.packetType() == 0).findFirst().orElseThrow();
            assertEquals(FourCc.AVC, videoStart.fourCc());
            AvcDecoderConfig config = AvcDecoderConfig.parse(Unpooled.wrappedBuffer(videoStart.sequenceStart()));
            AvcSps sps = AvcSps.parse(config.sps().get(0));
            assertEquals(160, sps.width());
            assertEquals(120, sps.height());
            TrackMessage firstVideo = tracks.stream().filter(TrackMessage::isVideo).findFirst().orElseThrow();
            assertEquals(0, firstVideo.packetType(), "the track starts with its sequence start");
            TrackMessage firstCoded = tracks.stream().filter(m -> m.isVideo() && m.packetType() != 0).findFirst().orElseThrow();
            assertTrue(firstCoded.keyframe(), "then a keyframe");
            assertTrue(tracks.stream().anyMatch(m -> !m.isVideo() && m.packetType() == 0 && m.fourCc() == FourCc.AAC),
                    "an AAC sequence start on track 1");

            // Per track (program video, program audio, track 1 video, track 1 audio): timestamps never go back.
            Map<String, Long> last = new HashMap<>();
            for (RtmpTestClient.Received r : viewer.received()) {
                if (r.isVideo() || r.isAudio()) {
                    assertNotBack(last, "0 " + r.typeId(), r.timestamp());
                }
            }
            for (TrackMessage m : tracks) {
                assertNotBack(last, m.track() + " " + m.typeId(), m.timestamp());
            }
            // The program plays on as ever: its sequence header and keyframes, not wrapped.
            assertTrue(viewer.received().stream().anyMatch(r -> r.isVideo() && r.sequenceHeader()));
            assertTrue(viewer.received().stream().anyMatch(r -> r.isVideo() && r.keyframe() && !r.sequenceHeader()));
            // Both on one timeline: track 1 starts within a GOP of the program's start.
            long programFirst = viewer.received().stream().filter(RtmpTestClient.Received::isVideo).findFirst()
                    .orElseThrow().timestamp();
            assertTrue(firstVideo.timestamp() - programFirst < 3000, programFirst + " vs " + firstVideo.timestamp());
        }
    }

    @Test
    void aPlayerWithoutMultitrackGetsTheProgramAlone() throws Exception {
        try (RtmpTestClient viewer = RtmpTestClient.connect("127.0.0.1", server.rtmpPort(), "live")) {
            viewer.play("demo");
            await().atMost(Duration.ofSeconds(20)).until(() -> programVideoSpan(viewer) >= 1500);
            viewer.sync();
            assertTrue(viewer.trackMessages().isEmpty(), viewer.trackMessages().size() + " multitrack messages");
        }
        try (Ffmpeg.Run probe = Ffmpeg.startFfprobe("-v", "error", "-show_entries", "stream=codec_name,width,height",
                "-of", "csv=p=0", server.rtmpUrl("live", "demo"))) {
            assertEquals(0, probe.await(30), probe.output());
            assertTrue(probe.output().contains("h264,320,240"), probe.output());
            assertFalse(probe.output().contains("160,120"), probe.output());
        }
    }

    @Test
    void aMultitrackPlayerOfARenditionGetsThatRenditionAlone() throws Exception {
        try (RtmpTestClient viewer = RtmpTestClient.connectMultitrack("127.0.0.1", server.rtmpPort(), "live")) {
            viewer.play("demo?rendition=120p");
            await().atMost(Duration.ofSeconds(20)).until(() -> programVideoSpan(viewer) >= 1500);
            viewer.sync();
            assertTrue(viewer.trackMessages().isEmpty(), viewer.trackMessages().size() + " multitrack messages");
        }
    }

    @Test
    void httpFlvWithTracksAllCarriesTheRenditionAsTrackOne() throws Exception {
        HttpFlvTestClient flv = new HttpFlvTestClient(server.httpUrl("/live/demo.flv?tracks=all"));
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> flv.multitrack().stream().filter(t -> t.type() == 9)
                    .mapToLong(HttpFlvTestClient.MultitrackTag::timestamp).max().orElse(0) >= 2000);
            // Our own multitrack reader takes every tag back apart: all of track 1, starting with a 160x120 header.
            Map<String, Long> last = new HashMap<>();
            VideoFrame firstVideo = null;
            for (HttpFlvTestClient.MultitrackTag tag : flv.multitrack()) {
                List<MediaFrame> frames = FlvTagDemuxer.demuxTracks(tag.type(), tag.timestamp(), Unpooled.wrappedBuffer(tag.body()));
                try {
                    assertEquals(1, frames.size());
                    MediaFrame frame = frames.get(0);
                    int track = frame instanceof VideoFrame v ? v.track() : ((AudioFrame) frame).track();
                    assertEquals(1, track);
                    assertNotBack(last, tag.type() + "", tag.timestamp());
                    if (firstVideo == null && frame instanceof VideoFrame video) {
                        firstVideo = video;
                        assertTrue(video.isSequenceHeader(), "track 1 starts with its sequence header");
                        ByteBuf payload = video.payload();
                        AvcDecoderConfig config = AvcDecoderConfig.parse(payload.slice(payload.readerIndex() + video.dataOffset(),
                                payload.readableBytes() - video.dataOffset()));
                        AvcSps sps = AvcSps.parse(config.sps().get(0));
                        assertEquals(160, sps.width());
                        assertEquals(120, sps.height());
                    }
                } finally {
                    frames.forEach(MediaFrame::release);
                }
            }
            assertTrue(firstVideo != null);
            // The program is there as ever, as ordinary tags.
            assertTrue(flv.media().stream().anyMatch(t -> t.type() == 9 && t.keyframe()));
        } finally {
            flv.close();
        }
        try (HttpFlvTestClient plain = new HttpFlvTestClient(server.httpUrl("/live/demo.flv"))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> plain.media().stream().filter(t -> t.type() == 9)
                    .mapToLong(HttpFlvTestClient.Tag::timestamp).max().orElse(0) >= 1500);
            assertTrue(plain.multitrack().isEmpty(), "no multitrack tags without ?tracks=all");
        }
        assertEquals(400, Http.get(server.httpUrl("/live/demo.flv?tracks=some")).statusCode());
    }

    private static void assertNotBack(Map<String, Long> last, String track, long timestamp) {
        Long before = last.put(track, timestamp);
        assertTrue(before == null || timestamp >= before, "track " + track + ": " + before + " then " + timestamp);
    }

    /** Milliseconds between the first and the last video (or audio) message of the tracks received. */
    private static long span(List<TrackMessage> messages, boolean video) {
        List<Long> times = messages.stream().filter(m -> m.isVideo() == video).map(TrackMessage::timestamp).toList();
        return times.isEmpty() ? 0 : times.get(times.size() - 1) - times.get(0);
    }

    /** Milliseconds between the first and the last ordinary video message received. */
    private static long programVideoSpan(RtmpTestClient viewer) {
        List<Long> times = viewer.received().stream().filter(RtmpTestClient.Received::isVideo)
                .map(RtmpTestClient.Received::timestamp).toList();
        return times.isEmpty() ? 0 : times.get(times.size() - 1) - times.get(0);
    }
}
