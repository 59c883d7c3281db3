package fluxrelay.rtmp.message;

import fluxrelay.rtmp.chunk.MessageTypes;
import fluxrelay.rtmp.chunk.RawMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * Splits Aggregate messages (RTMP spec 7.1.6, type 22) into the messages they carry: each sub-message is
 * an FLV tag (type, size, timestamp, stream id, body, back pointer); timestamps are rebased on the
 * aggregate's own. Other messages pass through untouched. Stateless and shared.
 */
@io.netty.channel.ChannelHandler.Sharable
public final class AggregateSplitter extends MessageToMessageDecoder<RawMessage> {

    /** FLV tag header (11) plus back pointer (4). */
    private static final int OVERHEAD = 15;

    public AggregateSplitter() {
        super(RawMessage.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, RawMessage msg, List<Object> out) {
        if (msg.typeId() != MessageTypes.AGGREGATE) {
            out.add(msg.retain());
            return;
        }
        split(msg, out);
    }

    /** Splits an aggregate into retained slices of its payload; stops quietly at a truncated tail. */
    static void split(RawMessage msg, List<Object> out) {
        ByteBuf in = msg.payload();
        long first = -1;
        while (in.readableBytes() >= OVERHEAD) {
            int type = in.readUnsignedByte();
            int size = in.readUnsignedMedium();
            long ts = in.readUnsignedMedium() | ((long) in.readUnsignedByte() << 24);
            in.skipBytes(3);
            if (in.readableBytes() < size + 4) {
                break;
            }
            if (first < 0) {
                first = ts;
            }
            ByteBuf body = in.readRetainedSlice(size);
            in.skipBytes(4);
            long rebased = (msg.timestamp() + ts - first) & 0xFFFFFFFFL;
            out.add(new RawMessage(msg.chunkStreamId(), type, rebased, msg.messageStreamId(), body));
        }
    }
}
