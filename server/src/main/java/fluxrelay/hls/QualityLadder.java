package fluxrelay.hls;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The multivariant playlists of a room with quality renditions (adaptive bitrate): the program's variant and one per
 * rendition, each with what its own packaging measured and parsed (BANDWIDTH, AVERAGE-BANDWIDTH, CODECS, RESOLUTION,
 * FRAME-RATE), highest first. One is written per kind of media playlist: {@code index.m3u8} lists the MPEG-TS
 * {@code stream.m3u8}s, {@code ll-index.m3u8} the Low-Latency {@code ll.m3u8}s. A rendition's media playlists are at
 * {@code r/{rendition-id}/} beside the program's, so every URI stays relative to the room's {@code /hls/{room-id}/}.
 *
 * <p>Both list the figures measured on the MPEG-TS segments: the fMP4 ones carry the same samples with a little less
 * overhead, so BANDWIDTH stays a bound a player may rely on.
 */
public final class QualityLadder {

    /** The path segment under a room's HLS prefix that holds its renditions: {@code /hls/{room-id}/r/{rendition-id}/}. */
    public static final String RENDITIONS_DIR = "r";

    /**
     * A multivariant playlist as answered.
     *
     * @param text the playlist
     * @param tag its entity tag (quoted, for ETag)
     */
    public record Master(String text, String tag) {
    }

    private QualityLadder() {
    }

    /** The URI of a rendition's MPEG-TS media playlist, relative to the room's multivariant playlist. */
    public static String mediaUri(String renditionId) {
        return mediaUri(renditionId, HlsRoom.MEDIA_PLAYLIST);
    }

    /** The URI of a rendition's media playlist named {@code mediaPlaylist}, relative to the room's multivariant playlists. */
    public static String mediaUri(String renditionId, String mediaPlaylist) {
        return RENDITIONS_DIR + "/" + renditionId + "/" + mediaPlaylist;
    }

    /**
     * The program's playlists with a multivariant playlist that lists its renditions too; the program's as they are
     * when no rendition has a variant yet.
     *
     * @param program the program's current playlists
     * @param programVariant what the program's packaging says of its stream
     * @param renditions the renditions' HLS outputs by id
     */
    public static Playlists withRenditions(Playlists program, VariantInfo programVariant, SortedMap<String, HlsRoom> renditions) {
        return withRenditions(program, programVariant, renditions, true);
    }

    /**
     * As above, listing only the renditions in {@code renditions} (a viewer's choice: those its measured figure
     * carries) and the program only when {@code listProgram}. A list that keeps the program alone is the program's own
     * multivariant playlist; one without the program is written even with a single rendition in it.
     */
    public static Playlists withRenditions(Playlists program, VariantInfo programVariant, SortedMap<String, HlsRoom> renditions,
                                           boolean listProgram) {
        Optional<Master> master = master(HlsRoom.MEDIA_PLAYLIST, programVariant, program.view(), renditions, listProgram);
        if (master.isEmpty() || listProgram && master.get().text().equals(program.master())) {
            return program;
        }
        return new Playlists(master.get().text(), program.media(), master.get().tag(), program.mediaTag(), program.lastModified(),
                program.view());
    }

    /**
     * The multivariant playlist pointing at the media playlists named {@code mediaPlaylist} ({@link HlsRoom#MEDIA_PLAYLIST}
     * or {@link HlsRoom#LOW_LATENCY_PLAYLIST}): the program's when {@code listProgram}, and each rendition of
     * {@code renditions} that has a variant and that media playlist now; empty when that lists nothing.
     *
     * @param programView the state of the program's media playlist of that name (for EXT-X-INDEPENDENT-SEGMENTS)
     */
    public static Optional<Master> master(String mediaPlaylist, VariantInfo programVariant, PlaylistView programView,
                                          SortedMap<String, HlsRoom> renditions, boolean listProgram) {
        List<PlaylistWriter.Variant> variants = new ArrayList<>();
        boolean independent = true;
        if (listProgram) {
            variants.add(new PlaylistWriter.Variant(programVariant, mediaPlaylist));
            independent = programView.independentSegments();
        }
        for (Map.Entry<String, HlsRoom> rendition : renditions.entrySet()) {
            VariantInfo info = rendition.getValue().variant().orElse(null);
            PlaylistView view = view(rendition.getValue(), mediaPlaylist).orElse(null);
            if (info != null && view != null) {
                variants.add(new PlaylistWriter.Variant(info, mediaUri(rendition.getKey(), mediaPlaylist)));
                independent &= view.independentSegments();
            }
        }
        if (variants.isEmpty()) {
            return Optional.empty();
        }
        String text = PlaylistWriter.master(variants, independent);
        return Optional.of(new Master(text, RoomPackager.tag(text)));
    }

    /** The state of {@code room}'s media playlist named {@code mediaPlaylist}, or empty while it has none. */
    public static Optional<PlaylistView> view(HlsRoom room, String mediaPlaylist) {
        return mediaPlaylist.equals(HlsRoom.LOW_LATENCY_PLAYLIST)
                ? room.lowLatencyPlaylist().map(p -> p.view().base())
                : room.playlists().map(Playlists::view);
    }
}
