package fluxrelay.rtmp.message;

import fluxrelay.rtmp.amf.Amf0Reader;
import fluxrelay.rtmp.amf.AmfException;
import fluxrelay.rtmp.amf.AmfLimits;
import fluxrelay.rtmp.amf.AmfValue;
import fluxrelay.rtmp.chunk.MessageTypes;
import fluxrelay.rtmp.chunk.RawMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * Turns whole chunk-stream messages into {@link RtmpMessage}s (RTMP spec 5.4, 6.2, 7.1).
 *
 * <p>Aggregate messages (type 22) are split into their audio, video and data messages with rebased
 * timestamps. A command whose AMF cannot be read becomes an {@link UnreadableMessage}: the session
 * answers and the connection lives on. Stateless apart from its limits, so one instance can serve all
 * connections.
 */
@io.netty.channel.ChannelHandler.Sharable
public final class RtmpMessageDecoder extends MessageToMessageDecoder<RawMessage> {

    private final AmfLimits amfLimits;

    public RtmpMessageDecoder(AmfLimits amfLimits) {
        super(RawMessage.class);
        this.amfLimits = amfLimits;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, RawMessage msg, List<Object> out) {
        // MessageToMessageDecoder releases its input afterwards; decode(RawMessage) consumes one reference.
        out.add(decode(msg.retain()));
    }

    /** Decodes one message; consumes (releases or hands on) the raw message's payload. */
    public RtmpMessage decode(RawMessage msg) {
        ByteBuf in = msg.payload();
        int type = msg.typeId();
        int sid = msg.messageStreamId();
        try {
            switch (type) {
                case MessageTypes.AUDIO, MessageTypes.VIDEO:
                    return new MediaMessage(type, msg.timestamp(), sid, in.retain());
                case MessageTypes.DATA_AMF0:
                    return new DataMessage(msg.timestamp(), sid, in.retain());
                case MessageTypes.DATA_AMF3:
                    skipAmf3FormatByte(in);
                    return new DataMessage(msg.timestamp(), sid, in.retain());
                case MessageTypes.COMMAND_AMF0:
                    return command(sid, in);
                case MessageTypes.COMMAND_AMF3:
                    skipAmf3FormatByte(in);
                    return command(sid, in);
                case MessageTypes.SET_CHUNK_SIZE:
                    return new SetChunkSize(need(in, 4, "Set Chunk Size").readInt() & 0x7FFFFFFF);
                case MessageTypes.ABORT:
                    return new AbortMessage(need(in, 4, "Abort").readInt());
                case MessageTypes.ACK:
                    return new Acknowledgement(need(in, 4, "Acknowledgement").readUnsignedInt());
                case MessageTypes.WINDOW_ACK_SIZE:
                    return new WindowAckSize(need(in, 4, "Window Acknowledgement Size").readUnsignedInt());
                case MessageTypes.SET_PEER_BANDWIDTH:
                    need(in, 5, "Set Peer Bandwidth");
                    return new SetPeerBandwidth(in.readUnsignedInt(), in.readUnsignedByte());
                case MessageTypes.USER_CONTROL:
                    return userControl(in);
                case MessageTypes.AGGREGATE:
                    return new UnreadableMessage(type, sid, "aggregate messages must be split before decoding");
                default:
                    return new UnreadableMessage(type, sid, "unsupported message type " + type);
            }
        } catch (AmfException | MalformedMessageException e) {
            return new UnreadableMessage(type, sid, e.getMessage());
        } finally {
            msg.release();
        }
    }

    private CommandMessage command(int sid, ByteBuf in) {
        List<AmfValue> values = new Amf0Reader(amfLimits).readAll(in);
        if (values.isEmpty() || values.get(0).asString() == null) {
            throw new MalformedMessageException("command without a name");
        }
        String name = values.get(0).asString();
        double tx = values.size() > 1 ? values.get(1).asNumber() : 0;
        AmfValue object = values.size() > 2 ? values.get(2) : null;
        List<AmfValue> args = values.size() > 3 ? values.subList(3, values.size()) : List.of();
        return new CommandMessage(sid, name, Double.isNaN(tx) ? 0 : tx, object, args);
    }

    private static UserControl userControl(ByteBuf in) {
        need(in, 2, "User Control");
        int event = in.readUnsignedShort();
        long value = in.readableBytes() >= 4 ? in.readUnsignedInt() : 0;
        long buffer = event == UserControl.SET_BUFFER_LENGTH && in.readableBytes() >= 4 ? in.readUnsignedInt() : 0;
        return new UserControl(event, value, buffer);
    }

    /** AMF3 command and data messages start with a format byte (0) before AMF0 values. */
    private static void skipAmf3FormatByte(ByteBuf in) {
        if (in.isReadable() && in.getByte(in.readerIndex()) == 0) {
            in.skipBytes(1);
        }
    }

    private static ByteBuf need(ByteBuf in, int bytes, String what) {
        if (in.readableBytes() < bytes) {
            throw new MalformedMessageException(what + " needs " + bytes + " bytes, got " + in.readableBytes());
        }
        return in;
    }

    /** A control message shorter than its fixed layout. */
    static final class MalformedMessageException extends RuntimeException {
        MalformedMessageException(String message) {
            super(message, null, false, false);
        }
    }
}
