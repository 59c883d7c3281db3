package fluxrelay.rtmp.chunk;

/**
 * What the encoder remembers about one outbound chunk stream: the last message header sent, from
 * which it picks the smallest header format the peer can expand again (RTMP spec 5.3.1.2).
 */
final class OutboundChunkStream {

    private boolean started;
    private long timestamp;
    private long timestampDelta;
    private int messageLength;
    private int typeId;
    private int messageStreamId;

    /**
     * Picks the header format for the next message: 0 on first use, a different message stream,
     * a timestamp going backwards or one needing the extended field; 1 when length or type change;
     * 2 when only the delta changes; 3 when everything repeats.
     *
     * <p>Extended timestamps always get format 0, so the extended field holds the absolute
     * timestamp on every chunk of the message: readers disagree on what it means after format 1
     * and 2 headers, and this is the form all of them read alike.
     */
    int formatFor(long newTimestamp, int newMessageStreamId, int newLength, int newTypeId) {
        if (!started || newMessageStreamId != messageStreamId || newTimestamp < timestamp
                || ChunkHeader.needsExtended(newTimestamp)) {
            return 0;
        }
        if (newLength != messageLength || newTypeId != typeId) {
            return 1;
        }
        return newTimestamp - timestamp != timestampDelta ? 2 : 3;
    }

    /** The timestamp field a header of {@code fmt} carries: absolute for format 0, a delta otherwise. */
    long timestampField(int fmt, long newTimestamp) {
        return fmt == 0 ? newTimestamp : newTimestamp - timestamp;
    }

    /** Records the header just sent; the delta after format 0 is the timestamp itself, as readers assume. */
    void update(int fmt, long newTimestamp, int newMessageStreamId, int newLength, int newTypeId) {
        timestampDelta = timestampField(fmt, newTimestamp);
        timestamp = newTimestamp;
        messageStreamId = newMessageStreamId;
        messageLength = newLength;
        typeId = newTypeId;
        started = true;
    }

    /**
     * Whether {@code other} is this stream's state on a timeline {@code offset} ahead ({@code other}'s timestamp is
     * this one's plus {@code offset}, everything else equal): two connections in such states pick the same header
     * format and delta for every later message ({@link Lockstep}).
     */
    boolean sameAs(OutboundChunkStream other, long offset) {
        return started == other.started && (!started || (timestamp + offset == other.timestamp
                && timestampDelta == other.timestampDelta && messageLength == other.messageLength
                && typeId == other.typeId && messageStreamId == other.messageStreamId));
    }

    /** Takes {@code other}'s state, on a timeline {@code offset} behind {@code other}'s. */
    void copyFrom(OutboundChunkStream other, long offset) {
        started = other.started;
        timestamp = other.timestamp - offset;
        timestampDelta = other.timestampDelta;
        messageLength = other.messageLength;
        typeId = other.typeId;
        messageStreamId = other.messageStreamId;
    }
}
