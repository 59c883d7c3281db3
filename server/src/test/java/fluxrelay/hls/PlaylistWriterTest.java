package fluxrelay.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import fluxrelay.media.AudioCodec;
import fluxrelay.media.codec.AudioCodecInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exact playlist text (RFC 8216 4.3). */
class PlaylistWriterTest {

    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    @Test
    void aLiveMediaPlaylistAfterADiscontinuity() {
        PlaylistView view = new PlaylistView(2, 41, 1, List.of(
                new SegmentInfo(41, "ab-41.ts", 82_000, 2000, false, T0, 1000, T0),
                new SegmentInfo(42, "ab-42.ts", 84_000, 1967, true, T0 + 2005, 1000, T0),
                new SegmentInfo(43, "ab-43.ts", 86_000, 12, false, T0 + 3972, 1000, T0)), false, true);
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-TARGETDURATION:2
                #EXT-X-MEDIA-SEQUENCE:41
                #EXT-X-DISCONTINUITY-SEQUENCE:1
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:00.000Z
                #EXTINF:2.000,
                ab-41.ts
                #EXT-X-DISCONTINUITY
                #EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:02.005Z
                #EXTINF:1.967,
                ab-42.ts
                #EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:03.972Z
                #EXTINF:0.012,
                ab-43.ts
                """, PlaylistWriter.media(view));
    }

    @Test
    void anEndedPlaylistWithoutDiscontinuities() {
        PlaylistView view = new PlaylistView(4, 0, 0, List.of(new SegmentInfo(0, "x-0.ts", 0, 3500, false, T0, 10, T0)), true,
                false);
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-TARGETDURATION:4
                #EXT-X-MEDIA-SEQUENCE:0
                #EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:00.000Z
                #EXTINF:3.500,
                x-0.ts
                #EXT-X-ENDLIST
                """, PlaylistWriter.media(view));
    }

    @Test
    void theMasterPlaylistDescribesTheVariant() {
        VariantInfo av = new VariantInfo(1_900_000, 1_800_000, List.of("avc1.64001f", "mp4a.40.2"), 1280, 720, 29.97);
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-STREAM-INF:BANDWIDTH=1900000,AVERAGE-BANDWIDTH=1800000,CODECS="avc1.64001f,mp4a.40.2",\
                RESOLUTION=1280x720,FRAME-RATE=29.970
                stream.m3u8
                """, PlaylistWriter.master(av, "stream.m3u8", true));
        VariantInfo audio = new VariantInfo(130_000, 0, List.of("mp4a.40.2"), 0, 0, Double.NaN);
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-STREAM-INF:BANDWIDTH=130000,CODECS="mp4a.40.2"
                stream.m3u8
                """, PlaylistWriter.master(audio, "stream.m3u8", false));
    }

    @Test
    void theMultivariantPlaylistListsEveryRenditionHighestFirst() {
        VariantInfo low = new VariantInfo(400_000, 350_000, List.of("avc1.42c00c", "mp4a.40.2"), 160, 120, 25);
        VariantInfo program = new VariantInfo(1_900_000, 1_800_000, List.of("avc1.64001f", "mp4a.40.2"), 1280, 720, 25);
        VariantInfo mid = new VariantInfo(900_000, 800_000, List.of("avc1.4d401e", "mp4a.40.2"), 640, 360, 25);
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-STREAM-INF:BANDWIDTH=1900000,AVERAGE-BANDWIDTH=1800000,CODECS="avc1.64001f,mp4a.40.2",\
                RESOLUTION=1280x720,FRAME-RATE=25.000
                stream.m3u8
                #EXT-X-STREAM-INF:BANDWIDTH=900000,AVERAGE-BANDWIDTH=800000,CODECS="avc1.4d401e,mp4a.40.2",\
                RESOLUTION=640x360,FRAME-RATE=25.000
                r/360p/stream.m3u8
                #EXT-X-STREAM-INF:BANDWIDTH=400000,AVERAGE-BANDWIDTH=350000,CODECS="avc1.42c00c,mp4a.40.2",\
                RESOLUTION=160x120,FRAME-RATE=25.000
                r/120p/stream.m3u8
                """, PlaylistWriter.master(List.of(new PlaylistWriter.Variant(low, QualityLadder.mediaUri("120p")),
                new PlaylistWriter.Variant(program, "stream.m3u8"), new PlaylistWriter.Variant(mid, QualityLadder.mediaUri("360p"))),
                true));
    }

    @Test
    void renditionsWithAlikeAudioDeclareOneSharedAudioGroupWhoseMediaStaysInTheVariants() {
        AudioCodecInfo aac = new AudioCodecInfo(AudioCodec.AAC, "mp4a.40.2", 2, 48_000, 2);
        VariantInfo low = new VariantInfo(400_000, 350_000, List.of("avc1.42c00c", "mp4a.40.2"), 160, 120, 25, aac);
        VariantInfo program = new VariantInfo(1_900_000, 1_800_000, List.of("avc1.64001f", "mp4a.40.2"), 1280, 720, 25,
                new AudioCodecInfo(AudioCodec.AAC, "mp4a.40.2", 2, 48_000, 2));
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="Audio",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2"
                #EXT-X-STREAM-INF:BANDWIDTH=1900000,AVERAGE-BANDWIDTH=1800000,CODECS="avc1.64001f,mp4a.40.2",\
                RESOLUTION=1280x720,FRAME-RATE=25.000,AUDIO="audio"
                stream.m3u8
                #EXT-X-STREAM-INF:BANDWIDTH=400000,AVERAGE-BANDWIDTH=350000,CODECS="avc1.42c00c,mp4a.40.2",\
                RESOLUTION=160x120,FRAME-RATE=25.000,AUDIO="audio"
                r/120p/stream.m3u8
                """, PlaylistWriter.master(List.of(new PlaylistWriter.Variant(low, QualityLadder.mediaUri("120p")),
                new PlaylistWriter.Variant(program, "stream.m3u8")), true));
        // Another sampling rate in one rendition: no group, each variant's audio is its own.
        VariantInfo other = new VariantInfo(400_000, 350_000, List.of("avc1.42c00c", "mp4a.40.2"), 160, 120, 25,
                new AudioCodecInfo(AudioCodec.AAC, "mp4a.40.2", 2, 44_100, 2));
        String mixed = PlaylistWriter.master(List.of(new PlaylistWriter.Variant(other, QualityLadder.mediaUri("120p")),
                new PlaylistWriter.Variant(program, "stream.m3u8")), true);
        assertFalse(mixed.contains("EXT-X-MEDIA") || mixed.contains("AUDIO="), mixed);
        // A viewer's list with one variant (the one its bandwidth carries) and video-only renditions: no group either.
        assertFalse(PlaylistWriter.master(List.of(new PlaylistWriter.Variant(low, "stream.m3u8")), true).contains("EXT-X-MEDIA"));
        VariantInfo silent = new VariantInfo(400_000, 350_000, List.of("avc1.42c00c"), 160, 120, 25);
        assertFalse(PlaylistWriter.master(List.of(new PlaylistWriter.Variant(silent, "a.m3u8"), new PlaylistWriter.Variant(silent,
                "b.m3u8")), true).contains("EXT-X-MEDIA"));
    }

    @Test
    void theLowLatencyMultivariantPlaylistListsEachRenditionsLlPlaylistHighestFirst() {
        VariantInfo low = new VariantInfo(400_000, 350_000, List.of("avc1.42c00c", "mp4a.40.2"), 160, 120, 25);
        VariantInfo program = new VariantInfo(1_900_000, 1_800_000, List.of("avc1.64001f", "mp4a.40.2"), 1280, 720, 29.97);
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-STREAM-INF:BANDWIDTH=1900000,AVERAGE-BANDWIDTH=1800000,CODECS="avc1.64001f,mp4a.40.2",\
                RESOLUTION=1280x720,FRAME-RATE=29.970
                ll.m3u8
                #EXT-X-STREAM-INF:BANDWIDTH=400000,AVERAGE-BANDWIDTH=350000,CODECS="avc1.42c00c,mp4a.40.2",\
                RESOLUTION=160x120,FRAME-RATE=25.000
                r/120p/ll.m3u8
                """, PlaylistWriter.master(List.of(
                new PlaylistWriter.Variant(low, QualityLadder.mediaUri("120p", HlsRoom.LOW_LATENCY_PLAYLIST)),
                new PlaylistWriter.Variant(program, HlsRoom.LOW_LATENCY_PLAYLIST)), true));
    }

    @Test
    void aRoomWithoutRenditionsHasALowLatencyMultivariantPlaylistOfItsProgramAlone() {
        VariantInfo program = new VariantInfo(1_900_000, 0, List.of("avc1.64001f"), 1280, 720, Double.NaN);
        PlaylistView view = new PlaylistView(2, 7, 0, List.of(new SegmentInfo(7, "ab-7.m4s", 82_000, 2000, false, T0, 1000, T0)),
                false, false);
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-STREAM-INF:BANDWIDTH=1900000,CODECS="avc1.64001f",RESOLUTION=1280x720
                ll.m3u8
                """, QualityLadder.master(HlsRoom.LOW_LATENCY_PLAYLIST, program, view, new java.util.TreeMap<>(), true)
                .orElseThrow().text());
    }
}
