package fluxrelay.rtmp.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Sits after a handshake handler and records, in arrival order, the handshake events and the bytes passed
 * on. Releases every buffer it receives.
 */
final class Recorder extends ChannelInboundHandlerAdapter {

    final List<HandshakeEvent> events = new ArrayList<>();
    /** Events and byte arrivals in order: an event, or the string "bytes". */
    final List<Object> order = new ArrayList<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof HandshakeEvent event) {
            events.add(event);
            order.add(event);
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            bytes.writeBytes(ByteBufUtil.getBytes(buf));
            order.add("bytes");
        } finally {
            buf.release();
        }
    }

    byte[] bytes() {
        return bytes.toByteArray();
    }

    List<HandshakeEvent> warnings() {
        return events.stream().filter(e -> e instanceof HandshakeWarning).toList();
    }

    /** The single completion or failure event; fails if there is not exactly one. */
    HandshakeEvent outcome() {
        List<HandshakeEvent> ends = events.stream().filter(e -> !(e instanceof HandshakeWarning)).toList();
        if (ends.size() != 1) {
            throw new AssertionError("expected exactly one completion or failure, got " + events);
        }
        return ends.get(0);
    }
}
