package fluxrelay.rtmp.message;

import fluxrelay.rtmp.amf.Amf0Writer;
import fluxrelay.rtmp.amf.AmfString;
import fluxrelay.rtmp.amf.AmfNumber;
import fluxrelay.rtmp.amf.AmfValue;
import fluxrelay.rtmp.chunk.MessageTypes;
import fluxrelay.rtmp.chunk.RawMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Turns {@link RtmpMessage}s into whole chunk-stream messages for the chunk encoder, choosing the chunk
 * stream by kind ({@link ChunkStreamIds}). Commands are written as AMF0 (type 20). Stateless and shared.
 */
@ChannelHandler.Sharable
public final class RtmpMessageEncoder extends MessageToMessageEncoder<RtmpMessage> {

    public RtmpMessageEncoder() {
        super(RtmpMessage.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, RtmpMessage msg, List<Object> out) {
        out.add(encode(ctx.alloc(), msg));
    }

    /** Encodes one message; media and data payloads are handed on, not copied. */
    public static RawMessage encode(ByteBufAllocator alloc, RtmpMessage msg) {
        if (msg instanceof MediaMessage media) {
            int csid = media.isAudio() ? ChunkStreamIds.AUDIO : ChunkStreamIds.VIDEO;
            return new RawMessage(csid, media.typeId(), media.timestamp(), media.messageStreamId(), media.content().retain());
        }
        if (msg instanceof DataMessage data) {
            return new RawMessage(ChunkStreamIds.STREAM_STATUS, MessageTypes.DATA_AMF0, data.timestamp(), data.messageStreamId(),
                    data.content().retain());
        }
        if (msg instanceof CommandMessage command) {
            ByteBuf body = alloc.buffer(256);
            Amf0Writer.write(body, new AmfString(command.name()));
            Amf0Writer.write(body, new AmfNumber(command.transactionId()));
            Amf0Writer.write(body, command.commandObject());
            for (AmfValue argument : command.arguments()) {
                Amf0Writer.write(body, argument);
            }
            int csid = command.messageStreamId() == 0 ? ChunkStreamIds.COMMAND : ChunkStreamIds.STREAM_STATUS;
            return new RawMessage(csid, MessageTypes.COMMAND_AMF0, 0, command.messageStreamId(), body);
        }
        return control(alloc, msg);
    }

    private static RawMessage control(ByteBufAllocator alloc, RtmpMessage msg) {
        ByteBuf body = alloc.buffer(10);
        int type;
        if (msg instanceof SetChunkSize m) {
            type = MessageTypes.SET_CHUNK_SIZE;
            body.writeInt(m.size() & 0x7FFFFFFF);
        } else if (msg instanceof AbortMessage m) {
            type = MessageTypes.ABORT;
            body.writeInt(m.chunkStreamId());
        } else if (msg instanceof Acknowledgement m) {
            type = MessageTypes.ACK;
            body.writeInt((int) m.sequenceNumber());
        } else if (msg instanceof WindowAckSize m) {
            type = MessageTypes.WINDOW_ACK_SIZE;
            body.writeInt((int) m.size());
        } else if (msg instanceof SetPeerBandwidth m) {
            type = MessageTypes.SET_PEER_BANDWIDTH;
            body.writeInt((int) m.size());
            body.writeByte(m.limitType());
        } else if (msg instanceof UserControl m) {
            type = MessageTypes.USER_CONTROL;
            body.writeShort(m.eventType());
            body.writeInt((int) m.value());
            if (m.eventType() == UserControl.SET_BUFFER_LENGTH) {
                body.writeInt((int) m.bufferLength());
            }
        } else {
            body.release();
            throw new IllegalArgumentException("cannot encode " + msg);
        }
        return new RawMessage(ChunkStreamIds.CONTROL, type, 0, 0, body);
    }
}
