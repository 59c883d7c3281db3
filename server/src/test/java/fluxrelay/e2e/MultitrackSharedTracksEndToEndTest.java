package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.flv.FourCc;
import fluxrelay.rtmp.command.StatusCodes;
import fluxrelay.testing.MultitrackRoom;
import fluxrelay.testing.RtmpTestClient;
import fluxrelay.testing.RtmpTestClient.TrackMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Multitrack players on one event loop: the server runs a single loop, so the second and third players of the room's
 * rendition get its track messages from the loop's shared, once-chunked bodies and merged runs, the first its own. Each
 * must still read a well-formed stream: the program, and track 1 starting with its sequence start and a keyframe, both
 * on its own timeline, never going back.
 */
class MultitrackSharedTracksEndToEndTest {

    @Test
    void multitrackPlayersSharingALoopEachGetTheProgramAndTrackOne() throws Exception {
        try (MultitrackRoom room = MultitrackRoom.start("relay.rtmp.event-loop-threads = 1\n")) {
            int port = room.server().rtmpPort();
            List<RtmpTestClient> viewers = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    RtmpTestClient viewer = RtmpTestClient.connectMultitrack("127.0.0.1", port, "live");
                    viewers.add(viewer);
                    viewer.play("demo");
                    viewer.awaitStatus(StatusCodes.PLAY_START, Duration.ofSeconds(10));
                }
                for (RtmpTestClient viewer : viewers) {
                    await().atMost(Duration.ofSeconds(20)).until(() -> span(viewer.trackMessages(), true) >= 2000
                            && span(viewer.trackMessages(), false) >= 2000);
                }
                for (RtmpTestClient viewer : viewers) {
                    List<TrackMessage> tracks = viewer.trackMessages();
                    assertTrue(tracks.stream().allMatch(m -> m.track() == 1), "only track 1: " + tracks.size());
                    TrackMessage firstVideo = tracks.stream().filter(TrackMessage::isVideo).findFirst().orElseThrow();
                    assertEquals(0, firstVideo.packetType(), "the track starts with its sequence start");
                    assertEquals(FourCc.AVC, firstVideo.fourCc());
                    TrackMessage firstCoded = tracks.stream().filter(m -> m.isVideo() && m.packetType() != 0)
                            .findFirst().orElseThrow();
                    assertTrue(firstCoded.keyframe(), "then a keyframe");
                    assertTrue(tracks.stream().anyMatch(m -> !m.isVideo() && m.packetType() == 0 && m.fourCc() == FourCc.AAC),
                            "an AAC sequence start on track 1");
                    Map<String, Long> last = new HashMap<>();
                    for (RtmpTestClient.Received r : viewer.received()) {
                        if (r.isVideo() || r.isAudio()) {
                            assertNotBack(last, "0 " + r.typeId(), r.timestamp());
                        }
                    }
                    for (TrackMessage m : tracks) {
                        assertNotBack(last, m.track() + " " + m.typeId(), m.timestamp());
                    }
                    assertTrue(viewer.received().stream().anyMatch(r -> r.isVideo() && r.keyframe() && !r.sequenceHeader()),
                            "the program plays on");
                }
            } finally {
                for (RtmpTestClient viewer : viewers) {
                    viewer.close();
                }
            }
        }
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
}
