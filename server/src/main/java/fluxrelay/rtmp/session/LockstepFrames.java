package fluxrelay.rtmp.session;

import fluxrelay.egress.ChannelViewer;
import fluxrelay.media.MediaFrame;
import fluxrelay.rtmp.chunk.ChunkedBody;
import fluxrelay.rtmp.chunk.Lockstep;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;

/**
 * The RTMP viewers of one hub on one event loop that follow a {@link Lockstep}, seen from the hub's side: the first of
 * them handed a frame takes it for all (its message added to the chain once, its body shared through
 * {@link SharedChunks}); the others, handed the same frame, only learn that it was taken. One event loop thread uses it.
 */
final class LockstepFrames implements ChannelViewer.InStep {

    private final Lockstep lockstep;
    private final SharedChunks shared;
    private final EventLoop loop;
    private final ByteBufAllocator alloc;
    /** The last frame asked about (compared by identity, never read) and whether it was taken. */
    private MediaFrame last;
    private boolean tookLast;
    private long lastTakenNanos;

    LockstepFrames(Lockstep lockstep, SharedChunks shared, EventLoop loop, ByteBufAllocator alloc) {
        this.lockstep = lockstep;
        this.shared = shared;
        this.loop = loop;
        this.alloc = alloc;
        this.lastTakenNanos = System.nanoTime();
    }

    Lockstep lockstep() {
        return lockstep;
    }

    /** Ended, or anchored in the chain with nobody following it any more (so its place there is out of date). */
    boolean stale() {
        return lockstep.ended() || (lockstep.anchored() && lockstep.followers() == 0);
    }

    @Override
    public boolean took(MediaFrame frame, long nowNanos) {
        if (frame != last) {
            last = frame;
            tookLast = take(frame);
            if (tookLast) {
                lastTakenNanos = nowNanos;
            }
        }
        return tookLast;
    }

    private boolean take(MediaFrame frame) {
        if (lockstep.ended()) {
            return false;
        }
        int csid = RtmpViewer.chunkStreamOf(frame);
        long timestamp = frame.timestamp();
        long sent = lockstep.lowestTimestamp(timestamp);
        if (sent < 0) {
            return lockstep.stop(); // a follower's timeline would clamp it
        }
        ChunkedBody body = shared.bodyFor(frame, loop, alloc, lockstep.chunkSize(), csid, sent);
        if (body == null) {
            // The first asker of a frame only marks it (a frame one viewer sees is never copied); the second cuts it.
            body = shared.bodyFor(frame, loop, alloc, lockstep.chunkSize(), csid, sent);
        }
        if (body == null) {
            return lockstep.stop();
        }
        return lockstep.take(csid, RtmpViewer.messageTypeOf(frame), timestamp, body, alloc, frame.size());
    }

    @Override
    public long lastTakenNanos() {
        return lastTakenNanos;
    }

    @Override
    public long taken() {
        return lockstep.messages(); // one message per frame taken
    }
}
