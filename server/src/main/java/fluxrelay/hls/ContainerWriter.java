package fluxrelay.hls;

import fluxrelay.media.AudioFrame;
import fluxrelay.media.VideoFrame;
import io.netty.buffer.ByteBuf;

/**
 * One segment container format (MPEG-TS now; fragmented MP4 beside it later): turns the coded frames of
 * configured tracks into segment bytes. The {@link Segmenter} decides where segments start and end; the
 * writer only frames what it is given.
 *
 * <p>Frames stay owned by the caller and are read with absolute indexes. Everything is written to the
 * {@code out} buffer of each call; a writer may hold bytes back (to pack several audio frames together)
 * until a later call or {@link #endSegment}. Not thread-safe.
 */
public interface ContainerWriter extends AutoCloseable {

    /** Segment file name extension without the dot, e.g. {@code ts}. */
    String extension();

    /** HTTP Content-Type of the segments. */
    String contentType();

    /** The tracks of the segments that follow: before the first segment and whenever they change. */
    void configure(Tracks tracks);

    /** Opens a segment (MPEG-TS: the program tables). */
    void beginSegment(ByteBuf out);

    /**
     * One coded video frame of the configured video track.
     *
     * @throws fluxrelay.media.codec.CodecFormatException when the frame is malformed; nothing is written then
     */
    void writeVideo(VideoFrame frame, ByteBuf out);

    /**
     * One coded audio frame of the configured audio track.
     *
     * @throws fluxrelay.media.codec.CodecFormatException when the container cannot carry the frame; the frame is
     *     left out then
     */
    void writeAudio(AudioFrame frame, ByteBuf out);

    /** True when the writer can close a partial segment mid-segment ({@link #endPart}). */
    default boolean writesParts() {
        return false;
    }

    /** Closes a partial segment (RFC 8216bis 3.1.3): writes what is held back as bytes that stand on their own. */
    default void endPart(ByteBuf out) {
    }

    /** Closes the segment: writes whatever is held back. */
    void endSegment(ByteBuf out);

    /**
     * The stream stopped: gives back the buffers held for writing, so that a room between publishes holds no
     * packaging memory; the next {@link #configure} takes them again.
     */
    void releaseBuffers();

    /** Releases the writer's buffers. */
    @Override
    void close();
}
