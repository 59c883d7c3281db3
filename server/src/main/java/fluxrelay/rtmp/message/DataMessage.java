package fluxrelay.rtmp.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A data message (RTMP spec 7.1.2, types 18 AMF0 and 15 AMF3) such as {@code @setDataFrame}: its AMF0
 * body (the AMF3 format byte already removed).
 *
 * <p>Owns its payload: the receiver releases it.
 */
public final class DataMessage extends DefaultByteBufHolder implements RtmpMessage {

    private final long timestamp;
    private final int messageStreamId;

    public DataMessage(long timestamp, int messageStreamId, ByteBuf payload) {
        super(payload);
        this.timestamp = timestamp;
        this.messageStreamId = messageStreamId;
    }

    /** Timestamp, ms. */
    public long timestamp() {
        return timestamp;
    }

    /** Message stream id. */
    public int messageStreamId() {
        return messageStreamId;
    }

    @Override
    public DataMessage replace(ByteBuf content) {
        return new DataMessage(timestamp, messageStreamId, content);
    }

    @Override
    public String toString() {
        return "DataMessage[ts=" + timestamp + ", sid=" + messageStreamId + ", " + content().readableBytes() + " bytes]";
    }
}
