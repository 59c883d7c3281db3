package fluxrelay.testing;

import fluxrelay.flv.FlvReader;
import fluxrelay.flv.FlvTag;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** The sample clips under test resources {@code /e2e}, as files for ffmpeg and as FLV tags. */
public final class SampleMedia {

    public static final String AV_720P = "h264-aac-720p30-6s.flv";
    public static final String AUDIO_ONLY = "audio-only-6s.flv";
    public static final String VIDEO_ONLY = "video-only-6s.flv";

    private SampleMedia() {
    }

    /** The clip copied to a temporary file (deleted at exit), for external tools. */
    public static Path file(String name) {
        try (InputStream in = SampleMedia.class.getResourceAsStream("/e2e/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource /e2e/" + name);
            }
            Path file = Files.createTempFile("sample-", "-" + name);
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The clip's tags as media frames in file order; the caller releases each. */
    public static List<fluxrelay.media.MediaFrame> frames(String name) {
        try (InputStream in = SampleMedia.class.getResourceAsStream("/e2e/" + name)) {
            ByteBuf file = Unpooled.wrappedBuffer(in.readAllBytes());
            try {
                List<FlvTag> tags = FlvReader.readAll(file);
                return tags.stream().map(FlvTag::toFrame).toList();
            } finally {
                file.release();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tag summary of the clip: what a server relaying it must deliver. */
    public record Tag(int type, long timestamp, int size, boolean keyframe, boolean endOfSequence) {
    }

    /** The clip's audio and video tags, in file order. */
    public static List<Tag> mediaTags(String name) {
        try (InputStream in = SampleMedia.class.getResourceAsStream("/e2e/" + name)) {
            ByteBuf file = Unpooled.wrappedBuffer(in.readAllBytes());
            try {
                List<FlvTag> tags = FlvReader.readAll(file);
                try {
                    return tags.stream().filter(t -> t.type() == 8 || t.type() == 9)
                            .map(t -> new Tag(t.type(), t.timestamp(), t.body().readableBytes(),
                                    t.type() == 9 && (t.body().getUnsignedByte(t.body().readerIndex()) >> 4) == 1
                                            && t.body().readableBytes() > 1 && t.body().getByte(t.body().readerIndex() + 1) == 1,
                                    t.type() == 9 && t.body().readableBytes() > 1 && t.body().getByte(t.body().readerIndex() + 1) == 2))
                            .toList();
                } finally {
                    tags.forEach(t -> t.body().release());
                }
            } finally {
                file.release();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
