package fluxrelay.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A finalized recording cut into HLS VOD: the index read back from its moov matches what the finalizer wrote, the
 * playlist lists every segment, and the segments (init first) concatenated are a fragmented MP4 with every frame.
 */
class ReplayTest {

    @TempDir
    Path directory;

    @Test
    void theSegmentsTogetherHoldEveryFrameOfTheRecording() throws Exception {
        Path fragments = directory.resolve("clip.fmp4");
        FinalizerTest.writeUnclosed(fragments);
        Path mp4 = directory.resolve("clip.mp4");
        Finalizer.Result result = Finalizer.run(fragments, mp4, ByteBufAllocator.DEFAULT);

        MovieIndex index = MovieIndex.read(mp4);
        assertEquals(result.samples().get(TrackSetup.VIDEO_TRACK), index.lead().count());
        assertEquals(List.of(true, false), List.of(index.lead().sync()[0], index.lead().sync()[1]));

        Replay replay = Replay.open(mp4);
        assertTrue(replay.segments() >= 1, "segments: " + replay.segments());
        String playlist = replay.playlist("?token=t");
        assertTrue(playlist.startsWith("#EXTM3U\n#EXT-X-VERSION:7\n"), playlist);
        assertTrue(playlist.contains("#EXT-X-MAP:URI=\"init.mp4?token=t\"\n"), playlist);
        assertEquals(replay.segments(), playlist.lines().filter(l -> l.endsWith(".m4s?token=t")).count());
        assertTrue(playlist.endsWith("#EXT-X-ENDLIST\n"), playlist);
        assertThrows(IndexOutOfBoundsException.class, () -> replay.segment(replay.segments(), ByteBufAllocator.DEFAULT));

        Path joined = directory.resolve("joined.mp4");
        List<ByteBuf> parts = new ArrayList<>();
        parts.add(replay.init(ByteBufAllocator.DEFAULT));
        for (int n = 0; n < replay.segments(); n++) {
            parts.add(replay.segment(n, ByteBufAllocator.DEFAULT));
        }
        try (var out = Files.newOutputStream(joined)) {
            for (ByteBuf part : parts) {
                part.readBytes(out, part.readableBytes());
                part.release();
            }
        }
        assertEquals("", Mp4Probe.decodeErrors(joined));
        assertEquals(index.lead().count(), Mp4Probe.videoFrames(joined));
        assertEquals(Mp4Probe.duration(mp4), Mp4Probe.duration(joined), 0.1);
    }
}
