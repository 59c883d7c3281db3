package fluxrelay.renditions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.stream.FeedId;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.PublishClaim;
import fluxrelay.stream.PublisherSlot;
import fluxrelay.stream.StreamLimits;
import fluxrelay.stream.StreamRegistry;
import fluxrelay.testing.Frames;
import fluxrelay.testing.HubRecorder;
import fluxrelay.testing.LivePublisher;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The program hub's extra tracks become rendition hubs on the program's timeline; the program's viewers never see them. */
class TrackRenditionsTest {

    private final StreamRegistry streams = new StreamRegistry(new StreamLimits(8 << 20, 1000));

    private PublisherSlot publishProgram() {
        streams.onProgramCreated(program -> TrackRenditions.attach(program, streams));
        LiveStream program = streams.stream("gala", true);
        PublishClaim claim = program.claim(new LivePublisher(new InetSocketAddress("127.0.0.1", 1)), Duration.ofSeconds(5));
        return ((PublishClaim.Granted) claim).slot();
    }

    @Test
    void anExtraVideoTrackBecomesARenditionWithTheProgramsTimestamps() {
        PublisherSlot slot = publishProgram();
        HubRecorder programViewer = new HubRecorder();
        streams.stream("gala", true).subscribe(programViewer);
        slot.publish(Frames.videoHeader(5000));
        slot.publish(Frames.audioHeader(5000));
        // An unparsable header: no height, so the rendition is named after its track.
        slot.publish(Frames.videoHeader(5000).withTrack(1));
        slot.publish(Frames.keyframe(5000, 100));
        slot.publish(Frames.keyframe(5000, 40).withTrack(1));
        slot.publish(Frames.audio(5010, 10));
        slot.publish(Frames.interframe(5033, 30));
        slot.publish(Frames.interframe(5033, 12).withTrack(1));

        LiveStream rendition = streams.find(FeedId.rendition("gala", "track1")).orElseThrow();
        assertTrue(rendition.snapshot().publishing());
        HubRecorder renditionViewer = new HubRecorder();
        rendition.subscribe(renditionViewer);
        // The joiner gets the rendition's cache: its own header and pictures, the default audio, all as track 0.
        List<HubRecorder.Frame> got = renditionViewer.frames();
        assertEquals(List.of(5000L, 5000L, 5000L, 5010L, 5033L), got.stream().map(HubRecorder.Frame::timestamp).toList());
        assertEquals(List.of(40, 12), got.stream().filter(f -> f.tagType() == 9 && f.size() != 8).map(HubRecorder.Frame::size)
                .toList());
        assertFalse(programViewer.frames().stream().anyMatch(f -> f.size() == 40 || f.size() == 12),
                "the program's viewers get track 0 only");

        slot.close();
        assertFalse(rendition.snapshot().publishing(), "the rendition's publish ends with the program's");
    }

    @Test
    void idsComeFromTheHeightAndStayUnique() {
        assertEquals("240p", RenditionIds.of(240, 1, Set.of()));
        assertEquals("240p-2", RenditionIds.of(240, 2, Set.of("240p")));
        assertEquals("track3", RenditionIds.of(0, 3, Set.of()));
        assertTrue(RenditionIds.valid("480p"));
        assertFalse(RenditionIds.valid("480P"));
    }
}
