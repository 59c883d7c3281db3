package fluxrelay.hls;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The multivariant playlist of a room with quality renditions (adaptive bitrate): the program's variant and one per
 * rendition, each with what its own packaging measured and parsed (BANDWIDTH, AVERAGE-BANDWIDTH, CODECS, RESOLUTION,
 * FRAME-RATE), highest first. A rendition's media playlist is at {@code r/{rendition-id}/stream.m3u8} beside the
 * program's {@code stream.m3u8}, so every URI stays relative to {@code /hls/{room-id}/index.m3u8}.
 */
public final class QualityLadder {

    /** The path segment under a room's HLS prefix that holds its renditions: {@code /hls/{room-id}/r/{rendition-id}/}. */
    public static final String RENDITIONS_DIR = "r";

    private QualityLadder() {
    }

    /** The URI of a rendition's media playlist, relative to the room's multivariant playlist. */
    public static String mediaUri(String renditionId) {
        return RENDITIONS_DIR + "/" + renditionId + "/" + HlsRoom.MEDIA_PLAYLIST;
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
        List<PlaylistWriter.Variant> variants = new ArrayList<>();
        if (listProgram) {
            variants.add(new PlaylistWriter.Variant(programVariant, HlsRoom.MEDIA_PLAYLIST));
        }
        boolean independent = program.view().independentSegments();
        for (Map.Entry<String, HlsRoom> rendition : renditions.entrySet()) {
            VariantInfo info = rendition.getValue().variant().orElse(null);
            Playlists playlists = rendition.getValue().playlists().orElse(null);
            if (info != null && playlists != null) {
                variants.add(new PlaylistWriter.Variant(info, mediaUri(rendition.getKey())));
                independent &= playlists.view().independentSegments();
            }
        }
        if (variants.isEmpty() || listProgram && variants.size() == 1) {
            return program;
        }
        String master = PlaylistWriter.master(variants, independent);
        return new Playlists(master, program.media(), RoomPackager.tag(master), program.mediaTag(), program.lastModified(),
                program.view());
    }
}
