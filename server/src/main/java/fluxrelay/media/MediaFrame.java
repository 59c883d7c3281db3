package fluxrelay.media;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * One timed unit of a live stream, independent of the protocol it arrived on.
 *
 * <p>The payload is the FLV tag body exactly as the publisher sent it (RTMP audio, video or data
 * message payload), so relaying outputs forward it untouched and packagers read the codec data at
 * {@link #dataOffset()}. A frame owns one reference to its payload; {@link #release()} gives it up.
 * Frames handed out by the stream hub are retained views that the receiver must release.
 */
public sealed interface MediaFrame extends ReferenceCounted permits VideoFrame, AudioFrame, ScriptFrame {

    /** Decode timestamp in milliseconds on the stream's timeline. */
    long timestamp();

    /** The FLV tag body. Read it with absolute indexes or a duplicate; never move its indexes. */
    ByteBuf payload();

    /** Offset in {@link #payload()} where codec data starts (after the FLV/Enhanced RTMP headers). */
    int dataOffset();

    /** The same frame on another timestamp, sharing this frame's payload reference (no retain). */
    MediaFrame withTimestamp(long timestamp);

    /** A retained duplicate: a new reference the caller owns and must release. */
    MediaFrame retainedDuplicate();

    /** Payload length in bytes. */
    default int size() {
        return payload().readableBytes();
    }

    @Override
    default int refCnt() {
        return payload().refCnt();
    }

    @Override
    default MediaFrame retain() {
        payload().retain();
        return this;
    }

    @Override
    default MediaFrame retain(int increment) {
        payload().retain(increment);
        return this;
    }

    @Override
    default MediaFrame touch() {
        payload().touch();
        return this;
    }

    @Override
    default MediaFrame touch(Object hint) {
        payload().touch(hint);
        return this;
    }

    @Override
    default boolean release() {
        return payload().release();
    }

    @Override
    default boolean release(int decrement) {
        return payload().release(decrement);
    }
}
