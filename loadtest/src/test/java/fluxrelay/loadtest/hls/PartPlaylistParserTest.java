package fluxrelay.loadtest.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartPlaylistParserTest {

    /** As the server writes it: parts of the newest complete segment and of the open one, a preload hint. */
    private static final String LIVE = """
            #EXTM3U
            #EXT-X-VERSION:9
            #EXT-X-TARGETDURATION:2
            #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.999
            #EXT-X-PART-INF:PART-TARGET=0.333
            #EXT-X-MEDIA-SEQUENCE:40
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-MAP:URI="init-1.mp4"
            #EXT-X-PROGRAM-DATE-TIME:2026-12-07T01:00:00.000Z
            #EXTINF:2.000,
            s40.m4s
            #EXT-X-PROGRAM-DATE-TIME:2026-12-07T01:00:02.000Z
            #EXT-X-PART:DURATION=0.333,URI="s41.0.m4s",INDEPENDENT=YES
            #EXT-X-PART:DURATION=0.333,URI="s41.1.m4s"
            #EXTINF:0.666,
            s41.m4s
            #EXT-X-MAP:URI="init-2.mp4"
            #EXT-X-PART:DURATION=0.333,URI="s42.0.m4s",INDEPENDENT=YES
            #EXT-X-PRELOAD-HINT:TYPE=PART,URI="s42.1.m4s"
            """;

    @Test
    void serverControlPartInfAndParts() {
        PartPlaylist p = PartPlaylistParser.parse(LIVE);
        assertEquals(2, p.targetDurationSeconds());
        assertEquals(40, p.mediaSequence());
        assertTrue(p.canBlockReload());
        assertEquals(0.999, p.partHoldBackSeconds());
        assertEquals(0.333, p.partTargetSeconds());
        assertEquals(42, p.openSequence(), "two complete segments, the third being written");
        assertEquals("s42.1.m4s", p.preloadHint());
        assertFalse(p.ended());
        long pdt41 = Instant.parse("2026-12-07T01:00:02.000Z").toEpochMilli();
        assertEquals(List.of(
                new PartPlaylist.Part(41, 0, "s41.0.m4s", 0.333, true, -1, -1, "init-1.mp4", pdt41),
                new PartPlaylist.Part(41, 1, "s41.1.m4s", 0.333, false, -1, -1, "init-1.mp4", pdt41 + 333),
                // The open segment has no date-time line: it starts where segment 41 ends; its map changed.
                new PartPlaylist.Part(42, 0, "s42.0.m4s", 0.333, true, -1, -1, "init-2.mp4", pdt41 + 666)), p.parts());
        assertEquals(pdt41 + 666 + 333, p.last().availableAtMillis());
    }

    @Test
    void nextPartIsInTheOpenSegmentOrTheFirstOfTheNext() {
        assertEquals(new PartPlaylist.PartRef(42, 1), PartPlaylistParser.parse(LIVE).next());
        // Segment 42 completed with its one part and nothing of 43 is out yet: ask for 43's first part.
        String completed = LIVE.replace("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"s42.1.m4s\"\n",
                "#EXTINF:0.333,\ns42.m4s\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"s43.0.m4s\"\n");
        PartPlaylist p = PartPlaylistParser.parse(completed);
        assertEquals(43, p.openSequence());
        assertEquals(new PartPlaylist.PartRef(43, 0), p.next());
        assertEquals(List.of("s42.0.m4s"), p.after(41, 1).stream().map(PartPlaylist.Part::uri).toList());
        assertEquals(new PartPlaylist.PartRef(40, 0),
                PartPlaylistParser.parse("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:40\n").next(), "nothing listed yet");
    }

    @Test
    void byteRangesFollowOnWithoutAnOffset() {
        PartPlaylist p = PartPlaylistParser.parse("""
                #EXTM3U
                #EXT-X-TARGETDURATION:4
                #EXT-X-PART-INF:PART-TARGET=1.0
                #EXT-X-PART:DURATION=1.0,URI="seg7.mp4",BYTERANGE="1000@200"
                #EXT-X-PART:DURATION=1.0,URI="seg7.mp4",BYTERANGE="1500"
                #EXT-X-PART:DURATION=1.0,URI="other.mp4",BYTERANGE="300"
                #EXT-X-ENDLIST
                """);
        assertFalse(p.canBlockReload(), "no EXT-X-SERVER-CONTROL");
        assertTrue(Double.isNaN(p.partHoldBackSeconds()));
        assertEquals(List.of(200L, 1200L, 0L), p.parts().stream().map(PartPlaylist.Part::offset).toList());
        assertEquals(List.of(1000L, 1500L, 300L), p.parts().stream().map(PartPlaylist.Part::length).toList());
        assertEquals(-1, p.parts().get(0).programDateTimeMillis(), "no date-time in the playlist");
        assertNull(p.preloadHint());
        assertTrue(p.ended());
    }

    @Test
    void attributeListsKeepCommasInsideQuotes() {
        assertEquals(Map.of("URI", "a,b.m4s", "DURATION", "0.5", "INDEPENDENT", "YES"),
                PartPlaylistParser.attributes("DURATION=0.5,URI=\"a,b.m4s\",INDEPENDENT=YES"));
    }

    @Test
    void rejectsWhatIsNotAMediaPlaylist() {
        assertThrows(IllegalArgumentException.class, () -> PartPlaylistParser.parse("hello\n"));
        assertThrows(IllegalArgumentException.class, () -> PartPlaylistParser.parse("#EXTM3U\n#EXT-X-PART:DURATION=1\n"));
        assertThrows(IllegalArgumentException.class, () -> PartPlaylistParser.parse("#EXTM3U\n#EXT-X-PART-INF:PART-TARGET=1\n"));
    }
}
