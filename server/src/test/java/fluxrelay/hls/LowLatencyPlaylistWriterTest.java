package fluxrelay.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The Low-Latency HLS media playlist text (RFC 8216bis 4.4 with the low-latency tags). */
class LowLatencyPlaylistWriterTest {

    private static final long T0 = 1_700_000_000_000L;

    private static SegmentInfo segment(long sequence, boolean discontinuity) {
        return new SegmentInfo(sequence, "p-" + sequence + ".m4s", sequence * 2000, 2000, discontinuity, T0 + sequence * 2000,
                1000, T0);
    }

    private static List<PartInfo> parts(long sequence, int count) {
        List<PartInfo> parts = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            parts.add(new PartInfo("p-" + sequence + "." + i + ".m4s", 333, i == 0));
        }
        return parts;
    }

    @Test
    void liveListsPartsOfTheNewestSegmentsTheOpenOnesAndAHint() {
        PlaylistView base = new PlaylistView(2, 4, 0, List.of(segment(4, false), segment(5, false), segment(6, true)), false,
                true);
        LowLatencyView view = new LowLatencyView(base, List.of(parts(4, 2), parts(5, 2), parts(6, 2)),
                List.of("p-init-1.mp4", "p-init-1.mp4", "p-init-2.mp4"), 7, parts(7, 1), false, "p-init-2.mp4", "p-7.1.m4s", 333);
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:9
                #EXT-X-TARGETDURATION:2
                #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.999
                #EXT-X-PART-INF:PART-TARGET=0.333
                #EXT-X-MEDIA-SEQUENCE:4
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-MAP:URI="p-init-1.mp4"
                #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:28.000Z
                #EXTINF:2.000,
                p-4.m4s
                #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:30.000Z
                #EXT-X-PART:DURATION=0.333,URI="p-5.0.m4s",INDEPENDENT=YES
                #EXT-X-PART:DURATION=0.333,URI="p-5.1.m4s"
                #EXTINF:2.000,
                p-5.m4s
                #EXT-X-DISCONTINUITY
                #EXT-X-MAP:URI="p-init-2.mp4"
                #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:32.000Z
                #EXT-X-PART:DURATION=0.333,URI="p-6.0.m4s",INDEPENDENT=YES
                #EXT-X-PART:DURATION=0.333,URI="p-6.1.m4s"
                #EXTINF:2.000,
                p-6.m4s
                #EXT-X-PART:DURATION=0.333,URI="p-7.0.m4s",INDEPENDENT=YES
                #EXT-X-PRELOAD-HINT:TYPE=PART,URI="p-7.1.m4s"
                """, LowLatencyPlaylistWriter.media(view));
    }

    @Test
    void endedHasNoOpenPartsNorHint() {
        PlaylistView base = new PlaylistView(2, 0, 0, List.of(segment(0, false)), true, true);
        LowLatencyView view = new LowLatencyView(base, List.of(parts(0, 1)), List.of("p-init-1.mp4"), 1, List.of(), false,
                "p-init-1.mp4", null, 333);
        String text = LowLatencyPlaylistWriter.media(view);
        assertEquals(true, text.endsWith("#EXTINF:2.000,\np-0.m4s\n#EXT-X-ENDLIST\n"), text);
        assertEquals(true, view.contains(99, 5), "an ended stream answers every blocking request");
    }

    @Test
    void aDiscontinuityOfTheOpenSegmentPrecedesItsParts() {
        PlaylistView base = new PlaylistView(2, 0, 0, List.of(segment(0, false)), false, true);
        LowLatencyView view = new LowLatencyView(base, List.of(parts(0, 1)), List.of("p-init-1.mp4"), 1, parts(1, 1), true,
                "p-init-2.mp4", "p-1.1.m4s", 333);
        String text = LowLatencyPlaylistWriter.media(view);
        assertEquals(true, text.endsWith("""
                p-0.m4s
                #EXT-X-DISCONTINUITY
                #EXT-X-MAP:URI="p-init-2.mp4"
                #EXT-X-PART:DURATION=0.333,URI="p-1.0.m4s",INDEPENDENT=YES
                #EXT-X-PRELOAD-HINT:TYPE=PART,URI="p-1.1.m4s"
                """), text);
    }

    @Test
    void aRenditionReportGivesTheLastSegmentAndPartOfAnotherRendition() {
        PlaylistView base = new PlaylistView(2, 4, 0, List.of(segment(4, false), segment(5, false)), false, true);
        LowLatencyView open = new LowLatencyView(base, List.of(parts(4, 6), parts(5, 6)), List.of("p-init-1.mp4", "p-init-1.mp4"),
                6, parts(6, 3), false, "p-init-1.mp4", "p-6.3.m4s", 333);
        assertEquals("#EXT-X-RENDITION-REPORT:URI=\"r/120p/ll.m3u8\",LAST-MSN=6,LAST-PART=2\n",
                LowLatencyPlaylistWriter.renditionReport("r/120p/ll.m3u8", open));
        // Between segments: the last complete one and its last part.
        LowLatencyView between = new LowLatencyView(base, List.of(parts(4, 6), parts(5, 5)), List.of("p-init-1.mp4", "p-init-1.mp4"),
                6, List.of(), false, "p-init-1.mp4", "p-6.0.m4s", 333);
        assertEquals("#EXT-X-RENDITION-REPORT:URI=\"../../ll.m3u8\",LAST-MSN=5,LAST-PART=4\n",
                LowLatencyPlaylistWriter.renditionReport("../../ll.m3u8", between));
        PlaylistView ended = new PlaylistView(2, 4, 0, List.of(segment(4, false)), true, true);
        assertEquals("", LowLatencyPlaylistWriter.renditionReport("r/120p/ll.m3u8", new LowLatencyView(ended, List.of(parts(4, 6)),
                List.of("p-init-1.mp4"), 5, List.of(), false, "p-init-1.mp4", null, 333)), "an ended rendition is not reported");
    }
}
