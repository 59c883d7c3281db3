package fluxrelay.hls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.stream.LiveStream;
import fluxrelay.stream.PublisherSlot;
import fluxrelay.stream.StreamLimits;
import fluxrelay.stream.StreamRegistry;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.SampleMedia;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a room's HLS ends: a deleted room's playlists end (EXT-X-ENDLIST) and stay readable for a window, then go,
 * files included; a stopping server leaves in {@code relay.hls.directory} ended playlists of both renditions
 * (MPEG-TS and LL-HLS) that list only files still there, and ffmpeg plays them from the files.
 */
class HlsEndingTest {

    private static final String ENDLIST = "#EXT-X-ENDLIST";
    private static final Pattern URI_ATTRIBUTE = Pattern.compile("URI=\"([^\"]+)\"");

    @TempDir
    Path root;

    private final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(true);
    private final StreamRegistry streams = new StreamRegistry(new StreamLimits(8 << 20, 2000));
    private HlsPackager packager;

    @AfterEach
    void close() {
        streams.close();
        if (packager != null) {
            packager.close();
        }
    }

    private HlsPackager packager() {
        packager = new HlsPackager(new PackagerSettings(Duration.ofSeconds(1), 3, 1 << 20, 2, true, Duration.ofMillis(333)),
                new DirectorySettings(root, false, 64 << 20), allocator);
        return packager;
    }

    /** A live room: the clip sent, the publish still on (as when an encoder is cut off by a deletion or a stop). */
    private HlsRoom live(String roomId) {
        LiveStream hub = streams.stream(roomId, true);
        packager.attach(hub);
        PublisherSlot slot = ClipPublisher.claim(hub);
        ClipPublisher.send(slot, SampleMedia.AV_720P);
        HlsRoom room = await().atMost(Duration.ofSeconds(10)).until(() -> packager.room(roomId).orElse(null),
                r -> r != null && r.playlists().isPresent() && r.lowLatencyPlaylist().isPresent());
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(root.resolve(roomId).resolve(HlsRoom.LOW_LATENCY_PLAYLIST)));
        assertFalse(room.playlists().orElseThrow().media().contains(ENDLIST), "live");
        return room;
    }

    private static List<String> files(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(folder)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    /** Every file a playlist names: segment lines, EXT-X-MAP, EXT-X-PART and preload hint URIs. */
    private static List<String> named(String playlist) {
        List<String> names = new ArrayList<>();
        for (String line : playlist.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                names.add(line);
            } else if (line.startsWith("#EXT-X-MAP") || line.startsWith("#EXT-X-PART:") || line.startsWith("#EXT-X-PRELOAD-HINT")) {
                Matcher m = URI_ATTRIBUTE.matcher(line);
                if (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    @Test
    void aDeletedRoomsPlaylistsEndStayReadableForAWindowThenGoWithTheirFiles() throws Exception {
        packager();
        HlsRoom room = live("gone");
        streams.removeRoom("gone", "deleted");

        await().atMost(Duration.ofSeconds(10)).until(room::closed);
        HlsRoom still = packager.room("gone").orElseThrow(() -> new AssertionError("readable while players finish"));
        String media = still.playlists().orElseThrow().media();
        String lowLatency = still.lowLatencyPlaylist().orElseThrow().text();
        assertTrue(media.endsWith(ENDLIST + "\n"), media);
        assertTrue(lowLatency.endsWith(ENDLIST + "\n"), lowLatency);
        assertFalse(lowLatency.contains("#EXT-X-PRELOAD-HINT"), "an ended playlist hints at nothing: " + lowLatency);
        for (String name : named(media)) {
            SegmentContent content = still.segment(name).orElseThrow(() -> new AssertionError("segment " + name + " still served"));
            content.data().release();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(root.resolve("gone/stream.m3u8")).endsWith(ENDLIST + "\n"));

        await().atMost(Duration.ofSeconds(30)).until(() -> packager.room("gone").isEmpty());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertEquals(List.of(), files(root.resolve("gone")), "a deleted room leaves no file behind"));
        await().atMost(Duration.ofSeconds(10)).until(() -> allocator.metric().usedDirectMemory() == 0);
    }

    @Test
    void aStoppingServerLeavesEndedPlaylistsOfBothRenditionsListingOnlyFilesStillThere() throws Exception {
        packager();
        live("keynote");
        streams.close(); // as RelayServer.close: the hubs first, then the packager
        packager.close();

        Path folder = root.resolve("keynote");
        List<String> present = files(folder);
        for (String playlist : List.of(HlsRoom.MEDIA_PLAYLIST, HlsRoom.LOW_LATENCY_PLAYLIST)) {
            String text = Files.readString(folder.resolve(playlist));
            assertTrue(text.endsWith(ENDLIST + "\n"), playlist + ":\n" + text);
            List<String> named = named(text);
            assertTrue(named.size() >= 2, text);
            for (String name : named) {
                assertTrue(present.contains(name), playlist + " lists " + name + ", which must be on disk: " + present);
            }
        }
        assertTrue(Files.readString(folder.resolve(HlsRoom.MASTER_PLAYLIST)).contains(HlsRoom.MEDIA_PLAYLIST));

        // The LL-HLS rendition plays from the files alone (init segment, fMP4 segments), as a plain file server gives them.
        for (String playlist : List.of(HlsRoom.LOW_LATENCY_PLAYLIST, HlsRoom.MASTER_PLAYLIST)) {
            try (Ffmpeg.Run ffmpeg = Ffmpeg.startFfmpeg("-v", "error", "-i", folder.resolve(playlist).toString(), "-f", "null", "-")) {
                assertEquals(0, ffmpeg.await(60), ffmpeg.output());
                assertFalse(ffmpeg.output().toLowerCase(java.util.Locale.ROOT).contains("error"), ffmpeg.output());
            }
            try (Ffmpeg.Run probe = Ffmpeg.startFfprobe("-v", "error", "-count_frames", "-select_streams", "v:0",
                    "-show_entries", "stream=codec_name,nb_read_frames", "-of", "csv=p=0:nk=1", folder.resolve(playlist).toString())) {
                assertEquals(0, probe.await(60), probe.output());
                Matcher frames = Pattern.compile("(?m)^h264,(\\d+)").matcher(probe.output());
                assertTrue(frames.find(), probe.output());
                assertTrue(Integer.parseInt(frames.group(1)) >= 30, "frames decoded from " + playlist + ": " + probe.output());
            }
        }
    }
}
