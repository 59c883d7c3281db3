package fluxrelay.recording;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live DVR playlist: growth to the window, sliding, the init map, the index kept and the bytes it names. */
class DvrWindowTest {

    private static final Path FILE = Path.of("rec.fmp4");

    @Test
    void growsToTheWindowListingEveryFragmentFromTheInitMap() {
        DvrWindow window = new DvrWindow("demo-20260101-000000", FILE, 8_000, 1_000);
        assertTrue(window.playlist().isEmpty(), "no segment yet: no playlist");
        window.init(700);
        window.fragment(700, 1000, 2.0);
        window.fragment(1700, 1100, 2.0);
        window.fragment(2800, 900, 1.5);
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:7
                #EXT-X-TARGETDURATION:2
                #EXT-X-MEDIA-SEQUENCE:0
                #EXT-X-MAP:URI="dvr-demo-20260101-000000.mp4"
                #EXTINF:2.000,
                dvr-demo-20260101-000000-0.m4s
                #EXTINF:2.000,
                dvr-demo-20260101-000000-1.m4s
                #EXTINF:1.500,
                dvr-demo-20260101-000000-2.m4s
                """, window.playlist().orElseThrow().text());
        assertFalse(window.playlist().orElseThrow().text().contains("PLAYLIST-TYPE"),
                "segments will be removed: no playlist type (RFC 8216 6.2.2)");
        assertEquals(new DvrWindow.Range(FILE, 0, 700, "dvr-demo-20260101-000000.mp4"),
                window.file("dvr-demo-20260101-000000.mp4").orElseThrow());
        assertEquals(new DvrWindow.Range(FILE, 1700, 1100, "dvr-demo-20260101-000000-1.m4s"),
                window.file("dvr-demo-20260101-000000-1.m4s").orElseThrow());
        assertTrue(window.file("dvr-demo-20260101-000000-3.m4s").isEmpty(), "not written yet");
        assertTrue(window.file("dvr-other-20260101-000000-1.m4s").isEmpty(), "another recording's");
        assertTrue(window.file("dvr-demo-20260101-000000--1.m4s").isEmpty());
        assertTrue(window.file("dvr-demo-20260101-000000-1.ts").isEmpty());
    }

    @Test
    void oncePastTheWindowItSlidesAndKeepsRemovedSegmentsReadableForOneMoreWindow() {
        DvrWindow window = new DvrWindow("r", FILE, 8_000, 1_000);
        window.init(100);
        long offset = 100;
        for (int n = 0; n < 10; n++) {
            window.fragment(offset, 50, 2.0);
            offset += 50;
        }
        // 20 s written: the playlist lists the last 8 s (fragments 6..9), media sequence 6.
        String text = window.playlist().orElseThrow().text();
        assertTrue(text.contains("#EXT-X-MEDIA-SEQUENCE:6\n"), text);
        assertEquals(4, text.lines().filter(l -> l.startsWith("#EXTINF")).count(), text);
        assertTrue(text.contains("\nr-9.m4s".replace("r-", "dvr-r-")), text);
        assertEquals(8.0, window.listedSeconds(), 1e-9);
        // fragments 2..5 left the playlist less than a window ago: still readable; 0 and 1 are gone.
        assertTrue(window.file("dvr-r-2.m4s").isPresent());
        assertTrue(window.file("dvr-r-1.m4s").isEmpty());
        assertEquals(new DvrWindow.Range(FILE, 100 + 50 * 9, 50, "dvr-r-9.m4s"), window.file("dvr-r-9.m4s").orElseThrow());
    }

    @Test
    void theIndexIsBoundedWhateverTheSessionsLength() {
        DvrWindow window = new DvrWindow("r", FILE, 8_000, 1_000);
        window.init(100);
        for (int n = 0; n < 100_000; n++) {
            window.fragment(100 + 10L * n, 10, 1.0 + (n % 3) * 0.01);
        }
        assertTrue(window.indexed() <= 2 * 8 + 4, window.indexed() + " fragments indexed");
        assertTrue(window.listedSeconds() >= 8 && window.listedSeconds() < 9.1, window.listedSeconds() + " s listed");
        assertTrue(window.playlist().orElseThrow().text().contains("#EXT-X-MEDIA-SEQUENCE:9999"), "moved on");
        // Fragments shorter than the recorder's (which it never writes) still cannot grow the index past its ring.
        DvrWindow odd = new DvrWindow("r", FILE, 8_000, 1_000);
        for (int n = 0; n < 1000; n++) {
            odd.fragment(10L * n, 10, 0.01);
        }
        assertEquals(2 * 8 + 4, odd.indexed());
    }

    @Test
    void theEndOfTheSessionEndsThePlaylistAndFreezesIt() {
        DvrWindow window = new DvrWindow("r", FILE, 8_000, 1_000);
        window.init(100);
        window.fragment(100, 10, 1.0);
        String before = window.playlist().orElseThrow().etag();
        window.end();
        window.fragment(110, 10, 1.0);
        DvrWindow.Playlist ended = window.playlist().orElseThrow();
        assertTrue(ended.text().endsWith("dvr-r-0.m4s\n#EXT-X-ENDLIST\n"), ended.text());
        assertFalse(before.equals(ended.etag()), "a new ETag for the ended playlist");
        assertTrue(window.ended());
    }

    @Test
    void theTargetDurationIsTheLongestFragmentRoundedUp() {
        assertEquals(2, DvrWindow.targetSeconds(1_000));
        assertEquals(3, DvrWindow.targetSeconds(1_200));
        assertEquals(1, DvrWindow.targetSeconds(100));
        assertTrue(new DvrWindow("r", FILE, 60_000, 1_500).targetDuration() == 3);
    }

    @Test
    void aRangeReadsItsBytesFromTheFile(@TempDir Path dir) throws Exception {
        byte[] content = new byte[5000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 7);
        }
        Path file = Files.write(dir.resolve("r.fmp4"), content);
        ByteBuf read = new DvrWindow.Range(file, 1234, 2000, "x").read(UnpooledByteBufAllocator.DEFAULT);
        try {
            assertArrayEquals(Arrays.copyOfRange(content, 1234, 3234), ByteBufUtil.getBytes(read));
        } finally {
            read.release();
        }
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> new DvrWindow.Range(file, 4000, 2000, "x").read(UnpooledByteBufAllocator.DEFAULT)).getMessage()
                .contains("shorter"));
    }
}
