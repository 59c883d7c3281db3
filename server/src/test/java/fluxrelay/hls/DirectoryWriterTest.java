package fluxrelay.hls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The disk mirror: whole files under the room's folder, deletions, a bound on queued bytes. */
class DirectoryWriterTest {

    @TempDir
    Path root;

    private static ByteBuf bytes(int size) {
        ByteBuf data = Unpooled.buffer(size);
        for (int i = 0; i < size; i++) {
            data.writeByte(i);
        }
        return data;
    }

    private static long files(Path folder) throws Exception {
        try (Stream<Path> list = Files.list(folder)) {
            return list.count();
        }
    }

    @Test
    void segmentsAndPlaylistsAppearWholeAndLeaveWithTheirSegments() throws Exception {
        ByteBuf data = bytes(1000);
        byte[] expected = new byte[1000];
        data.getBytes(0, expected);
        try (DirectoryWriter writer = new DirectoryWriter(new DirectorySettings(root, false, 1 << 20))) {
            writer.segment("room", "a-0.ts", data);
            writer.playlist("room", "stream.m3u8", "#EXTM3U\n");
            writer.delete("room", "gone.ts");
        }
        assertEquals(0, data.refCnt(), "the writer released the segment's bytes");
        assertArrayEquals(expected, Files.readAllBytes(root.resolve("room/a-0.ts")));
        assertEquals("#EXTM3U\n", Files.readString(root.resolve("room/stream.m3u8")));
        assertEquals(2, files(root.resolve("room")), "no temporary files are left");
        try (DirectoryWriter writer = new DirectoryWriter(new DirectorySettings(root, false, 1 << 20))) {
            writer.delete("room", "a-0.ts");
        }
        assertFalse(Files.exists(root.resolve("room/a-0.ts")));
    }

    @Test
    void aRecordingKeepsItsSegments() throws Exception {
        try (DirectoryWriter writer = new DirectoryWriter(new DirectorySettings(root, true, 1 << 20))) {
            writer.segment("room", "a-0.ts", bytes(10));
            writer.delete("room", "a-0.ts");
        }
        assertTrue(Files.exists(root.resolve("room/a-0.ts")));
    }

    @Test
    void writesBeyondTheQueueBoundAreDroppedAndCounted() {
        ByteBuf big = bytes(5000);
        try (DirectoryWriter writer = new DirectoryWriter(new DirectorySettings(root, false, 4096))) {
            writer.segment("room", "big.ts", big);
            assertEquals(0, big.refCnt());
            assertEquals(1, writer.failures("room"));
            assertEquals(0, writer.failures("other"));
        }
        assertFalse(Files.exists(root.resolve("room/big.ts")));
    }
}
