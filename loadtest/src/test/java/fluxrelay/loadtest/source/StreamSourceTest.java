package fluxrelay.loadtest.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.flv.FlvTagDemuxer;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StreamSourceTest {

    @Test
    void splitsHeadersFromLoopedMediaAndMeasuresTheBitrate() throws Exception {
        try (StreamSource source = StreamSource.load(Path.of("src/test/resources/media/small-180p.flv"))) {
            // onMetaData, AVC sequence header, AAC sequence header.
            assertEquals(3, source.headers().size());
            assertEquals(FlvTagDemuxer.SCRIPT, source.headers().get(0).type());
            assertEquals(4, source.nalLengthSize());
            // The loop starts at the first keyframe and lasts about the clip's 3 s.
            int first = source.media().get(0).body().getUnsignedByte(source.media().get(0).body().readerIndex());
            assertTrue(source.media().stream().anyMatch(t -> t.type() == FlvTagDemuxer.VIDEO));
            assertTrue(source.loopDurationMillis() >= 2900 && source.loopDurationMillis() <= 3200, "" + source.loopDurationMillis());
            assertTrue(first == 0x17 || source.media().get(0).type() == FlvTagDemuxer.AUDIO);
            // ~300 kbit/s video + 64 kbit/s audio.
            assertTrue(source.bitrate() > 250_000 && source.bitrate() < 450_000, "" + source.bitrate());
        }
    }

    @Test
    void refusesAFileWithoutFrames() {
        byte[] headerOnly = {'F', 'L', 'V', 1, 5, 0, 0, 0, 9, 0, 0, 0, 0};
        assertThrows(IllegalArgumentException.class, () -> StreamSource.of(Unpooled.wrappedBuffer(headerOnly)));
    }
}
