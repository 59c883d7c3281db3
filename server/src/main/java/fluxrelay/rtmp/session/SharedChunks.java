package fluxrelay.rtmp.session;

import fluxrelay.egress.FlushBatcher;
import fluxrelay.flv.OneTrackTag;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.rtmp.chunk.ChunkEncoder;
import fluxrelay.rtmp.chunk.ChunkedBody;
import fluxrelay.rtmp.chunk.Lockstep;
import fluxrelay.rtmp.chunk.MessageChain;
import fluxrelay.rtmp.chunk.MessageRun;
import fluxrelay.rtmp.message.ChunkStreamIds;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Chunks each frame once per event loop for all the RTMP viewers on that loop (RTMP spec 5.3.1): the hub
 * hands one frame object to every viewer of a loop in one task, so the second viewer of a frame cuts a
 * {@link ChunkedBody} and it and all later viewers of that frame share it, each writing only its own first
 * chunk header. Without it every viewer cut the payload into chunk slices of its own, the main cost of
 * fan-out after the socket writes. A rendition's frame sent as a track of a multitrack play (Enhanced RTMP v2
 * OneTrack, {@link OneTrackTag}) is wrapped and chunked once per loop and track number the same way.
 *
 * <p>The first viewer of a frame gets no body and chunks the frame itself (zero-copy slices, as before), so a
 * frame only one viewer sees (a joiner's GOP cache replay, a loop with one viewer) is never copied. A body is
 * shared only by viewers asking for the same payload buffer and variant (the frame itself, or its OneTrack message
 * of one track number), chunk stream and chunk size (and timestamp, in the extended range; see
 * {@link ChunkedBody#fits}); the encoder falls back to plain chunking when a body does not fit its connection, so the
 * bytes on the wire never depend on this cache. The cache keeps up to {@value #BODY_SLOTS} bodies, so a loop whose
 * viewers watch several hubs (a program and its renditions, a rendition as a stream and as a track) keeps each
 * one's; each slot holds a reference to its payload, so a pooled buffer is not reused under its key. The slots are
 * emptied by a task queued behind the delivery, so nothing outlives the frame's delivery on the loop.
 *
 * <p>It also keeps the loop's {@link MessageRun}s for the current flush batch, one per group of viewers in step
 * (viewers of one hub, or multitrack viewers of one program: they are sent the same messages in the same order): the
 * complete encodings a group's viewers write between two ticks of the loop's {@link FlushBatcher}, in order, so
 * viewers in step send them as one slice each. Viewers of several hubs on one loop interleave their frames, so one
 * run for all of them would break every viewer's stretch at each frame of another hub. At most {@value #RUN_SLOTS}
 * runs are open at once; a viewer of a further group writes its messages unmerged. Runs are sealed when a tick starts
 * flushing and released when the batcher says that batch ended, after every viewer that joined them was flushed (a
 * viewer that writes asks for a flush; with a merged-write window cut into slots, a viewer's slot may tick up to a
 * window later, so up to one batch of runs per slot stays sealed).
 *
 * <p>When the batcher's policy asks for merge blocks ({@link fluxrelay.egress.FlushPolicy#mergeBlockBytes()}), a group
 * has a {@link MessageChain} instead, kept across batches: a viewer's messages of a whole window are then one stretch
 * of it, written as one slice whatever slot the viewer flushes in. A chain that took nothing for a whole window of
 * the loop's ticks and at least {@value #CHAIN_IDLE_MILLIS} ms is closed and its group's place freed (so a loop whose
 * viewers all left keeps at most {@value #RUN_SLOTS} current blocks until its next viewer; the time keeps a chain whose
 * ticks come faster than its frames, a short flush interval cut in slots, from being closed between two frames and
 * its next frame starting a new block), and all are closed when the loop's thread ends.
 *
 * <p>With a chain, the group's viewers that are in step with it may follow its {@link Lockstep} ({@link #follow}, asked
 * by a viewer after its flush): a frame is then chunked, encoded and added to the chain once for all of them, by the
 * first follower handed it ({@link LockstepFrames}), and each of them writes what was taken at its own flush. A chain
 * closed ends its lockstep.
 *
 * <p>One instance per event loop thread, used only there.
 */
final class SharedChunks implements FlushBatcher.BatchListener {

    /** Bodies kept at once: frames of a few hubs delivered on the loop before the slots are emptied. */
    static final int BODY_SLOTS = 4;
    /** Runs open at once: the groups of viewers in step that one flush batch of the loop merges. */
    static final int RUN_SLOTS = 8;
    /** The variant of a body that is the frame itself; 0 to 255 are OneTrack messages of that track number. */
    private static final int FRAME = -1;
    private static final MessageRun[] NO_RUNS = new MessageRun[0];
    /** How long a chain that takes nothing stays open at least. */
    static final long CHAIN_IDLE_MILLIS = 1000;
    private static final long CHAIN_IDLE_NANOS = CHAIN_IDLE_MILLIS * 1_000_000;

    private static final FastThreadLocal<SharedChunks> PER_LOOP = new FastThreadLocal<>() {
        @Override
        protected SharedChunks initialValue() {
            return new SharedChunks();
        }

        @Override
        protected void onRemoval(SharedChunks shared) {
            shared.closeChains(); // the loop thread is ending: its chains' blocks go back to the allocator
        }
    };

    /** Per slot: the payload a body is for (retained while here), its variant and its body, null until cut. */
    private final ByteBuf[] payloads = new ByteBuf[BODY_SLOTS];
    private final int[] variants = new int[BODY_SLOTS];
    private final ChunkedBody[] bodies = new ChunkedBody[BODY_SLOTS];
    private int nextSlot;
    private boolean forgetQueued;

    private FlushBatcher batcher;
    private final Object[] groups = new Object[RUN_SLOTS];
    private final MessageRun[] openRuns = new MessageRun[RUN_SLOTS];
    private int openCount;
    /** Runs sealed by the starts heard, oldest first; empty for a start that found no open run. */
    private final List<MessageRun[]> sealedRuns = new ArrayList<>(2);
    /** Per group kept across batches: its chain, the chain's size at the last tick and the ticks it stayed so. */
    private final Object[] chainGroups = new Object[RUN_SLOTS];
    private final MessageChain[] chains = new MessageChain[RUN_SLOTS];
    private final long[] chainSizes = new long[RUN_SLOTS];
    private final int[] idleTicks = new int[RUN_SLOTS];
    /** Per chain, when it last took an encoding as the ticks saw it (the loop's clock, {@link FlushBatcher#nanoTime()}). */
    private final long[] changedAt = new long[RUN_SLOTS];
    /** Per chain, the lockstep of its group's viewers in step ({@link #follow}), or null. */
    private final LockstepFrames[] locksteps = new LockstepFrames[RUN_SLOTS];
    private int chainCount;

    private SharedChunks() {
    }

    /** The cache of the calling event loop thread. */
    static SharedChunks current() {
        return PER_LOOP.get();
    }

    /**
     * The shared chunked body of {@code frame} for a connection on {@code loop}, borrowed (valid until the caller
     * returns to the loop), or null when the caller should chunk the frame itself (the first viewer of the frame,
     * or a body cut for other parameters). {@code frame} is borrowed too: its reference stays with the caller.
     */
    ChunkedBody bodyFor(MediaFrame frame, EventLoop loop, ByteBufAllocator alloc, int chunkSize, int csid, long timestamp) {
        return body(frame, FRAME, loop, alloc, chunkSize, csid, timestamp);
    }

    /**
     * The shared chunked body of {@code frame}'s OneTrack message for track {@code track} ({@link OneTrackTag#wrap}),
     * as {@link #bodyFor}: borrowed, or null when the caller should write the message itself (also when the frame has
     * no OneTrack form). Viewers of one rendition share it whatever their timelines, since the timestamp is only in
     * the first chunk header. {@code frame} is borrowed.
     */
    ChunkedBody trackBodyFor(MediaFrame frame, int track, EventLoop loop, ByteBufAllocator alloc, int chunkSize, int csid,
            long timestamp) {
        if (track < 0 || track > 0xFF) {
            return null;
        }
        return body(frame, track, loop, alloc, chunkSize, csid, timestamp);
    }

    private ChunkedBody body(MediaFrame frame, int variant, EventLoop loop, ByteBufAllocator alloc, int chunkSize, int csid,
            long timestamp) {
        ByteBuf payload = frame.payload();
        int slot = slotOf(payload, variant);
        if (slot < 0) {
            remember(payload, variant, loop);
            return null;
        }
        if (bodies[slot] == null) {
            ByteBuf content = variant == FRAME ? payload.retainedDuplicate()
                    : OneTrackTag.wrap(frame instanceof VideoFrame, payload, variant, alloc);
            if (content == null) {
                return null; // no OneTrack form: the caller leaves the frame out
            }
            try {
                bodies[slot] = ChunkedBody.of(alloc, content, chunkSize, csid, timestamp);
            } catch (IllegalArgumentException e) {
                // Not encodable: the plain path reports it through the chunk encoder.
                return null;
            }
        }
        ChunkedBody body = bodies[slot];
        return body.fits(chunkSize, csid, timestamp) ? body : null;
    }

    private int slotOf(ByteBuf payload, int variant) {
        for (int i = 0; i < BODY_SLOTS; i++) {
            if (payloads[i] == payload && variants[i] == variant) {
                return i;
            }
        }
        return -1;
    }

    /** Takes a free slot, or the one filled longest ago, for {@code payload}; its body is cut by the next viewer. */
    private void remember(ByteBuf payload, int variant, EventLoop loop) {
        int slot = -1;
        for (int i = 0; i < BODY_SLOTS && slot < 0; i++) {
            if (payloads[i] == null) {
                slot = i;
            }
        }
        if (slot < 0) {
            slot = nextSlot;
            nextSlot = (slot + 1) % BODY_SLOTS;
            clear(slot);
        }
        // Held so that a pooled buffer object cannot be recycled for another frame while it is a key here.
        payloads[slot] = payload.retain();
        variants[slot] = variant;
        if (!forgetQueued) {
            forgetQueued = true;
            loop.execute(this::forgetAfterDelivery);
        }
    }

    /**
     * The loop's open run for writes that {@code batcher} flushes to viewers of {@code group}, or null when that batcher
     * flushes every write at once (no batch to share), the group is null or the batch already has its
     * {@value #RUN_SLOTS} runs open.
     *
     * @param group what the viewer is sent (its hub, or a value equal for viewers sent the same messages in the same
     *     order); compared with {@code equals}, kept until the batch starts flushing
     */
    MessageRun run(FlushBatcher batcher, ByteBufAllocator alloc, Object group) {
        if (!batcher.batches() || group == null) {
            return null;
        }
        listenTo(batcher);
        for (int i = 0; i < openCount; i++) {
            if (groups[i].equals(group)) {
                return openRuns[i];
            }
        }
        if (openCount == RUN_SLOTS) {
            return null;
        }
        groups[openCount] = group;
        MessageRun run = new MessageRun(alloc);
        openRuns[openCount++] = run;
        return run;
    }

    /**
     * Writes one message of a shared body to a viewer's connection, in the group's chain or run when the loop has one
     * ({@link ChunkEncoder#writeShared}); false, having written nothing, when the message must be written the
     * ordinary way. {@code body} is borrowed.
     */
    boolean writeShared(ChunkEncoder encoder, FlushBatcher batcher, ByteBufAllocator alloc, Object group, int csid,
            int type, long timestamp, int streamId, ChunkedBody body) {
        if (batcher.mergeBlockBytes() > 0) {
            return encoder.writeShared(csid, type, timestamp, streamId, body, chain(batcher, alloc, group));
        }
        return encoder.writeShared(csid, type, timestamp, streamId, body, run(batcher, alloc, group));
    }

    /**
     * The loop's chain for viewers of {@code group}, created at the first call, or null when the batcher does not
     * batch, the group is null or {@value #RUN_SLOTS} groups already have one.
     */
    MessageChain chain(FlushBatcher batcher, ByteBufAllocator alloc, Object group) {
        if (!batcher.batches() || group == null) {
            return null;
        }
        listenTo(batcher);
        for (int i = 0; i < chainCount; i++) {
            if (chainGroups[i].equals(group)) {
                return chains[i];
            }
        }
        if (chainCount == RUN_SLOTS) {
            return null;
        }
        MessageChain chain = new MessageChain(alloc, batcher.mergeBlockBytes(), batcher.mergeMaxBlocks());
        chainGroups[chainCount] = group;
        chains[chainCount] = chain;
        chainSizes[chainCount] = 0;
        idleTicks[chainCount] = 0;
        changedAt[chainCount] = batcher.nanoTime();
        chainCount++;
        return chain;
    }

    /**
     * Has a viewer that just flushed follow the lockstep of its group's chain on this loop (see
     * {@link fluxrelay.rtmp.chunk.Lockstep}): the frames it takes are this viewer's too, and the viewer is no longer
     * handed them one by one. Null when the viewer cannot follow (no merge blocks, no chain for the group, or the viewer
     * not in step with it); a lockstep that ended, or that nobody follows any more, gives way to a new one.
     *
     * @param shift how far the viewer's timeline is behind the room's
     */
    LockstepFrames follow(ChunkEncoder encoder, FlushBatcher batcher, EventLoop loop, ByteBufAllocator alloc, Object group,
            int messageStreamId, long shift, Lockstep.Follower follower) {
        if (!batcher.batches() || batcher.mergeBlockBytes() <= 0 || group == null) {
            return null;
        }
        for (int i = 0; i < chainCount; i++) {
            if (chainGroups[i].equals(group)) {
                if (!encoder.inStepWith(chains[i])) {
                    return null;
                }
                LockstepFrames current = locksteps[i];
                if (current == null || current.stale()) {
                    if (current != null) {
                        current.lockstep().stop();
                    }
                    current = new LockstepFrames(new Lockstep(chains[i], ChunkStreamIds.VIDEO, ChunkStreamIds.AUDIO,
                            ChunkStreamIds.STREAM_STATUS), this, loop, alloc);
                    locksteps[i] = current;
                }
                return encoder.follow(current.lockstep(), messageStreamId, shift, follower) ? current : null;
            }
        }
        return null;
    }

    private void listenTo(FlushBatcher batcher) {
        if (this.batcher != batcher) {
            this.batcher = batcher;
            batcher.addListener(this);
        }
    }

    /** Closes every chain of the loop (its thread is ending); stretches connections hold stay writable. */
    void closeChains() {
        for (int i = 0; i < chainCount; i++) {
            endLockstep(i);
            chains[i].close();
            chains[i] = null;
            chainGroups[i] = null;
        }
        chainCount = 0;
    }

    /** Closes the chains that took nothing for a whole window (every slot ticked since) and a while. */
    private void closeIdleChains() {
        if (chainCount == 0) {
            return;
        }
        int slots = batcher.slots();
        long now = batcher.nanoTime();
        for (int i = chainCount - 1; i >= 0; i--) {
            long size = chains[i].size();
            if (size != chainSizes[i]) {
                chainSizes[i] = size;
                idleTicks[i] = 0;
                changedAt[i] = now;
            } else if (++idleTicks[i] > slots && now - changedAt[i] >= CHAIN_IDLE_NANOS) {
                endLockstep(i);
                chains[i].close();
                chainCount--;
                chainGroups[i] = chainGroups[chainCount];
                chains[i] = chains[chainCount];
                chainSizes[i] = chainSizes[chainCount];
                idleTicks[i] = idleTicks[chainCount];
                changedAt[i] = changedAt[chainCount];
                locksteps[i] = locksteps[chainCount];
                chainGroups[chainCount] = null;
                chains[chainCount] = null;
                locksteps[chainCount] = null;
            }
        }
    }

    /** Ends the lockstep of chain {@code i}, if any: its followers catch up at their next frame or flush. */
    private void endLockstep(int i) {
        if (locksteps[i] != null) {
            locksteps[i].lockstep().stop();
            locksteps[i] = null;
        }
    }

    @Override
    public void batchStarting() {
        closeIdleChains();
        MessageRun[] sealed = openCount == 0 ? NO_RUNS : Arrays.copyOf(openRuns, openCount);
        for (MessageRun run : sealed) {
            run.seal();
        }
        sealedRuns.add(sealed);
        Arrays.fill(groups, 0, openCount, null);
        Arrays.fill(openRuns, 0, openCount, null);
        openCount = 0;
    }

    @Override
    public void batchEnded() {
        for (MessageRun run : sealedRuns.remove(0)) {
            run.release();
        }
    }

    private void forgetAfterDelivery() {
        forgetQueued = false;
        for (int i = 0; i < chainCount; i++) {
            chains[i].forgetRecent();
        }
        for (int i = 0; i < BODY_SLOTS; i++) {
            clear(i);
        }
        nextSlot = 0;
    }

    private void clear(int slot) {
        if (bodies[slot] != null) {
            bodies[slot].release();
            bodies[slot] = null;
        }
        if (payloads[slot] != null) {
            payloads[slot].release();
            payloads[slot] = null;
        }
    }
}
