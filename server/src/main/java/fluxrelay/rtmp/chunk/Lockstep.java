package fluxrelay.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Connections of one event loop that follow a {@link MessageChain} in step: each message is encoded and added to the
 * chain once for all of them ({@link #take}), instead of once per connection, and each connection catches up with what
 * was taken only when it flushes or writes anything else ({@link ChunkEncoder#follow}). A fan-out of thousands of
 * viewers per loop then touches each viewer once per flush rather than once per frame.
 *
 * <p>Connections are in step when they sent the same encodings up to the same point of the chain and their chunk stream
 * states differ only by the offset of their timelines (viewers that joined at different moments): they then pick the
 * same header format and delta for every later message, so one encoding serves all (RTMP spec 5.3.1.2). The state is
 * kept for the chunk streams a follower may be sent on, on the timeline of the first follower; a stream on which a
 * later follower's state disagrees is marked mixed, and a message on it ends the lockstep.
 *
 * <p>A lockstep ends for good ({@link #ended()}, or {@link #stop}) at the first message it cannot take for every follower alike: one
 * needing a type 0 header (absolute timestamp, another message stream) or an extended timestamp for some follower, a
 * timestamp a follower's timeline clamps, an encoding out of turn in the chain, a full or closed chain. Its followers
 * then catch up with what it took before and carry on one by one; a new lockstep starts with the next follower.
 *
 * <p>It holds the chain block where its next message starts, so a connection can always begin following there. One
 * event loop thread uses it.
 */
public final class Lockstep {

    /** Hears what a following connection caught up with, and when it stopped following; called on the loop. */
    public interface Follower {
        /** {@code messages} taken for the connection (of {@code bytes} payload bytes) were just written to it. */
        void caughtUp(long messages, long bytes);

        /** The connection follows no more (it wrote something else, it is closing, or the lockstep ended). */
        void left();
    }

    private final MessageChain chain;
    /** The chunk streams followers may be sent on, and per stream its state on the first follower's timeline. */
    private final int[] csids;
    private final OutboundChunkStream[] states;
    private final boolean[] mixed;
    private boolean anchored;
    private int chunkSize;
    private int messageStreamId;
    /** The first follower's timeline offset (room time minus its time); states are on its timeline. */
    private long anchorShift;
    /** Lowest and highest timeline offsets of the followers admitted. */
    private long minShift;
    private long maxShift;
    /** Chain index and position after the last message taken, and the block that position is in (held). */
    private long next;
    private long end;
    private MessageChain.Block hold;
    private long messages;
    private long bytes;
    private int followers;
    private boolean ended;

    /**
     * A lockstep on {@code chain} for connections sent messages on chunk streams {@code csids} (each below 16, the
     * ids the server's media use); it begins with its first follower.
     */
    public Lockstep(MessageChain chain, int... csids) {
        this.chain = chain;
        this.csids = csids.clone();
        this.states = new OutboundChunkStream[csids.length];
        this.mixed = new boolean[csids.length];
        for (int i = 0; i < states.length; i++) {
            states[i] = new OutboundChunkStream();
        }
    }

    /** Whether it took its last message: a follower catches up and goes its own way, nobody can follow any more. */
    public boolean ended() {
        return ended;
    }

    /** Connections following it now. */
    public int followers() {
        return followers;
    }

    /** The chain it adds to. */
    public MessageChain chain() {
        return chain;
    }

    /** Messages taken so far. */
    public long messages() {
        return messages;
    }

    /** Payload bytes of the messages taken so far, as the caller counted them. */
    long bytes() {
        return bytes;
    }

    /** Chain position after the last message taken. */
    long endPosition() {
        return end;
    }

    /** Chain index after the last message taken. */
    long next() {
        return next;
    }

    /** Whether its first follower was admitted (it has a place in the chain). */
    public boolean anchored() {
        return anchored;
    }

    /** The chunk size its followers write with (set by the first). */
    public int chunkSize() {
        return chunkSize;
    }

    /**
     * The lowest timestamp a follower is sent for a message at {@code roomTimestamp} of the room's timeline (what a
     * shared body is cut for: any two below the extended range share it).
     */
    public long lowestTimestamp(long roomTimestamp) {
        return roomTimestamp - maxShift;
    }

    int chunkStreams() {
        return csids.length;
    }

    int chunkStreamId(int i) {
        return csids[i];
    }

    /** Whether a message on the i-th chunk stream must end the lockstep (followers' states disagree). */
    boolean mixed(int i) {
        return mixed[i];
    }

    OutboundChunkStream state(int i) {
        return states[i];
    }

    /** Timeline offset of a follower with {@code shift} from the states' timeline. */
    long offsetOf(long shift) {
        return shift - anchorShift;
    }

    /**
     * Takes one message for every follower: its encoding continues every follower's stretch of the chain (added now,
     * or already added by a connection in step that is not following). False, the lockstep ended, when it cannot.
     *
     * @param roomTimestamp the message's timestamp on the room's timeline; a follower is sent it less its shift
     * @param body the message's body chunked for the followers' chunk size (borrowed)
     * @param counted payload bytes to count for it
     */
    public boolean take(int csid, int typeId, long roomTimestamp, ChunkedBody body, ByteBufAllocator alloc, int counted) {
        if (ended || followers == 0) {
            return stop();
        }
        int i = indexOf(csid);
        if (i < 0 || mixed[i] || !chain.isOpen() || roomTimestamp - maxShift < 0
                || ChunkHeader.needsExtended(roomTimestamp - minShift) || !body.fits(chunkSize, csid, roomTimestamp - maxShift)) {
            return stop();
        }
        OutboundChunkStream state = states[i];
        long timestamp = roomTimestamp - anchorShift;
        int length = body.payloadLength();
        int fmt = state.formatFor(timestamp, messageStreamId, length, typeId);
        if (fmt == 0) {
            return stop();
        }
        ByteBuf encoding = body.encoding(alloc, fmt, state.timestampField(fmt, timestamp), typeId, messageStreamId);
        if (encoding == null) {
            return stop();
        }
        long at = next;
        if (!chain.isAt(at, encoding)) {
            if (at != chain.size() || chain.indexOf(encoding) >= 0) {
                return stop(); // something else was added at the followers' place: their stretch cannot continue
            }
            if (chain.append(encoding) < 0) {
                return stop();
            }
        }
        state.update(fmt, timestamp, messageStreamId, length, typeId);
        next = at + 1;
        end = chain.endOf(at);
        hold = chain.moveHold(hold, end);
        messages++;
        bytes += counted;
        return true;
    }

    private int indexOf(int csid) {
        for (int i = 0; i < csids.length; i++) {
            if (csids[i] == csid) {
                return i;
            }
        }
        return -1;
    }

    /** Ends it: takes nothing more and gives up its block; followers catch up with what it took. Returns false. */
    public boolean stop() {
        if (!ended) {
            ended = true;
            if (hold != null) {
                hold.release();
                hold = null;
            }
        }
        return false;
    }

    /**
     * Admits a connection that just wrote its stretch of the chain up to index {@code lastNext} (position
     * {@code lastEnd}), with chunk stream states {@code streams} (by chunk stream id), chunk size and message stream
     * {@code messageStreamId}, on a timeline {@code shift} behind the room's. Returns the chunk streams whose state it
     * shares (bit i for the i-th stream), or -1 when it cannot follow: the lockstep ended or is elsewhere in the chain,
     * or the connection writes with other parameters.
     */
    int admit(long lastNext, long lastEnd, StreamStates streams, int chunkSize, int messageStreamId, long shift) {
        if (ended || !chain.isOpen()) {
            return -1;
        }
        if (!anchored) {
            if (lastNext != chain.size() || (hold = chain.retainCurrentBlock()) == null) {
                return -1;
            }
            anchored = true;
            this.chunkSize = chunkSize;
            this.messageStreamId = messageStreamId;
            anchorShift = shift;
            minShift = shift;
            maxShift = shift;
            next = lastNext;
            end = lastEnd;
            for (int i = 0; i < csids.length; i++) {
                states[i].copyFrom(streams.of(csids[i]), 0);
            }
        } else if (lastNext != next || chunkSize != this.chunkSize || messageStreamId != this.messageStreamId) {
            return -1;
        }
        int shared = 0;
        long offset = offsetOf(shift);
        for (int i = 0; i < csids.length; i++) {
            if (streams.of(csids[i]).sameAs(states[i], offset)) {
                shared |= 1 << i;
            } else {
                mixed[i] = true;
            }
        }
        minShift = Math.min(minShift, shift);
        maxShift = Math.max(maxShift, shift);
        followers++;
        return shared;
    }

    /** The block a new follower's stretch starts in, retained for it. */
    MessageChain.Block retainHold() {
        return hold.retain();
    }

    /**
     * A follower left. The last one ends it: its place in the chain would otherwise stay held, and with it every block
     * after, until the chain's block limit refused every connection's messages.
     */
    void release() {
        if (--followers == 0) {
            stop();
        }
    }

    /** A connection's chunk stream states by chunk stream id. */
    interface StreamStates {
        OutboundChunkStream of(int csid);
    }
}
