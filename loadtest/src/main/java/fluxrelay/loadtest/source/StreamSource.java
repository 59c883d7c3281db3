package fluxrelay.loadtest.source;

import fluxrelay.flv.FlvReader;
import fluxrelay.flv.FlvTag;
import fluxrelay.flv.FlvTagDemuxer;
import fluxrelay.loadtest.stamp.LatencyStamp;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An FLV file held in memory for replay (FLV spec v10.1 E.4): the header tags a publisher sends once
 * (metadata, sequence headers) and the media tags it loops over.
 *
 * <p>Owns the file buffer and one reference per tag; {@link #close()} releases them. Tag bodies are shared
 * by every publisher: senders use retained duplicates.
 */
public final class StreamSource implements AutoCloseable {

    private final ByteBuf file;
    private final List<FlvTag> headers;
    private final List<FlvTag> media;
    private final int nalLengthSize;
    private final long loopDurationMillis;
    private final long mediaBytes;

    private StreamSource(ByteBuf file, List<FlvTag> headers, List<FlvTag> media, int nalLengthSize) {
        this.file = file;
        this.headers = headers;
        this.media = media;
        this.nalLengthSize = nalLengthSize;
        this.loopDurationMillis = Pacer.loopDuration(media.stream().mapToLong(FlvTag::timestamp).toArray(),
                media.stream().filter(t -> t.type() == FlvTagDemuxer.VIDEO).mapToLong(FlvTag::timestamp).toArray());
        long bytes = 0;
        for (FlvTag tag : media) {
            bytes += tag.body().readableBytes();
        }
        this.mediaBytes = bytes;
    }

    /** Reads {@code path}; fails if it is not an FLV file with at least one audio or video tag. */
    public static StreamSource load(Path path) throws IOException {
        return of(Unpooled.wrappedBuffer(Files.readAllBytes(path)));
    }

    /** Takes ownership of {@code file}, an FLV file's bytes. */
    public static StreamSource of(ByteBuf file) {
        List<FlvTag> tags;
        try {
            tags = FlvReader.readAll(file);
        } catch (RuntimeException e) {
            file.release();
            throw e;
        }
        List<FlvTag> headers = new ArrayList<>();
        List<FlvTag> media = new ArrayList<>();
        int nalLengthSize = 4;
        boolean started = false;
        for (FlvTag tag : tags) {
            boolean header = tag.type() == FlvTagDemuxer.SCRIPT || isSequenceHeader(tag);
            if (header && tag.type() == FlvTagDemuxer.VIDEO) {
                ByteBuf body = tag.body();
                nalLengthSize = LatencyStamp.nalLengthSize(body, body.readerIndex(), body.writerIndex());
            }
            if (header && !started) {
                headers.add(tag);
            } else if (header) {
                tag.release();
            } else {
                started = true;
                media.add(tag);
            }
        }
        if (media.isEmpty()) {
            headers.forEach(FlvTag::release);
            file.release();
            throw new IllegalArgumentException("the FLV file has no audio or video frames");
        }
        return new StreamSource(file, List.copyOf(headers), List.copyOf(media), nalLengthSize);
    }

    private static boolean isSequenceHeader(FlvTag tag) {
        ByteBuf body = tag.body();
        if (body.readableBytes() < 2) {
            return false;
        }
        int first = body.getUnsignedByte(body.readerIndex());
        int second = body.getUnsignedByte(body.readerIndex() + 1);
        if (tag.type() == FlvTagDemuxer.VIDEO) {
            return (first & 0x0F) == 7 && second == 0 || (first & 0x80) != 0 && (first & 0x0F) == 0;
        }
        return tag.type() == FlvTagDemuxer.AUDIO && (first >> 4) == 10 && second == 0;
    }

    /** Metadata and sequence headers, sent once at the start of a publish. */
    public List<FlvTag> headers() {
        return headers;
    }

    /** The audio and video tags, in file order, looped over. */
    public List<FlvTag> media() {
        return media;
    }

    /** NAL length prefix size of the video (4 unless the AVC decoder config says otherwise). */
    public int nalLengthSize() {
        return nalLengthSize;
    }

    /** Length of one pass over the media tags, ms. */
    public long loopDurationMillis() {
        return loopDurationMillis;
    }

    /** Average bitrate of the tag bodies (what an RTMP viewer receives), bit/s. */
    public long bitrate() {
        return loopDurationMillis == 0 ? 0 : mediaBytes * 8000 / loopDurationMillis;
    }

    @Override
    public void close() {
        headers.forEach(FlvTag::release);
        media.forEach(FlvTag::release);
        file.release();
    }
}
