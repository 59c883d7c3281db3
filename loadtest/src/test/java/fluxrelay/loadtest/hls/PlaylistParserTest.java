package fluxrelay.loadtest.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlaylistParserTest {

    private static String fixture(String name) throws Exception {
        return Files.readString(Path.of("src/test/resources/hls", name));
    }

    @Test
    void liveMediaPlaylist() throws Exception {
        Playlist.Media media = assertInstanceOf(Playlist.Media.class, PlaylistParser.parse(fixture("live.m3u8")));
        assertEquals(2, media.targetDurationSeconds());
        assertEquals(120, media.mediaSequence());
        assertEquals(6, media.segments().size());
        assertEquals(new Playlist.Segment("seg-123.ts", 1.967, 123), media.segments().get(3));
        assertFalse(media.ended());
        assertEquals(126, media.endSequence());
        // Three target durations (6 s) from the end: 125 (2.033) + 124 (2.0) + 123 (1.967) = 6.0 s.
        assertEquals(123, media.liveStartSequence());
        assertEquals(List.of("seg-124.ts", "seg-125.ts"), media.from(124).stream().map(Playlist.Segment::uri).toList());
    }

    @Test
    void shortPlaylistStartsAtItsFirstSegmentAndEndListIsSeen() {
        Playlist.Media media = (Playlist.Media) PlaylistParser.parse(
                "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\na.ts\n#EXTINF:4.0,title\nb.ts\n#EXT-X-ENDLIST\n");
        assertEquals(0, media.liveStartSequence());
        assertTrue(media.ended());
        assertEquals(4.0, media.segments().get(1).durationSeconds());
    }

    @Test
    void multivariantListsVariantsInOrder() throws Exception {
        Playlist.Multivariant master = assertInstanceOf(Playlist.Multivariant.class, PlaylistParser.parse(fixture("multivariant.m3u8")));
        assertEquals(List.of(new Playlist.Variant("bench/index.m3u8", 2_300_000), new Playlist.Variant("low/index.m3u8", 800_000)),
                master.variants());
    }

    @Test
    void rejectsWhatIsNotAPlaylist() {
        assertThrows(IllegalArgumentException.class, () -> PlaylistParser.parse("<html>404</html>"));
        assertThrows(IllegalArgumentException.class, () -> PlaylistParser.parse("#EXTM3U\n#EXTINF:2,\na.ts\n"));
        assertThrows(IllegalArgumentException.class, () -> PlaylistParser.parse("#EXTM3U\n#EXT-X-TARGETDURATION:2\na.ts\n"));
    }
}
