package fluxrelay.loadtest.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FlvSkimmerTest {

    private record Tag(int type, int size, int firstByte, int prefixLength) {
    }

    private static List<Tag> skim(byte[] file, Random splits) {
        List<Tag> tags = new ArrayList<>();
        FlvSkimmer skimmer = new FlvSkimmer((type, size, prefix) ->
                tags.add(new Tag(type, size, prefix.isReadable() ? prefix.getUnsignedByte(0) : -1, prefix.readableBytes())));
        int at = 0;
        while (at < file.length) {
            int n = splits == null ? file.length : 1 + splits.nextInt(Math.min(5000, file.length - at));
            n = Math.min(n, file.length - at);
            ByteBuf piece = Unpooled.wrappedBuffer(file, at, n);
            skimmer.feed(piece);
            assertEquals(0, piece.readableBytes(), "everything consumed");
            at += n;
        }
        assertEquals(file.length, skimmer.bytes());
        return tags;
    }

    @Test
    void sameTagsWhateverThePiecesAre() throws Exception {
        byte[] file = Files.readAllBytes(Path.of("src/test/resources/media/small-180p.flv"));
        List<Tag> whole = skim(file, null);
        assertEquals(18, whole.get(0).type(), "onMetaData first");
        assertEquals(0x17, whole.get(1).firstByte(), "AVC sequence header");
        assertTrue(whole.stream().allMatch(t -> t.prefixLength() == Math.min(t.size(), FlvSkimmer.PREFIX)), "prefix of each body");
        long video = whole.stream().filter(t -> t.type() == 9).count();
        assertEquals(90 + 2, video, "3 s at 30 fps, the sequence header and the end of sequence");
        assertEquals(whole, skim(file, new Random(1)));
        assertEquals(whole, skim(file, new Random(2)));
        byte[] oneByteAtATime = file.clone();
        List<Tag> tags = new ArrayList<>();
        FlvSkimmer skimmer = new FlvSkimmer((type, size, prefix) -> tags.add(new Tag(type, size,
                prefix.isReadable() ? prefix.getUnsignedByte(0) : -1, prefix.readableBytes())));
        for (byte b : oneByteAtATime) {
            skimmer.feed(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertEquals(whole, tags);
    }

    @Test
    void rejectsSomethingElse() {
        FlvSkimmer skimmer = new FlvSkimmer((type, size, prefix) -> { });
        assertThrows(IllegalStateException.class, () -> skimmer.feed(Unpooled.wrappedBuffer("HTTP/1.1 ".getBytes())));
    }
}
