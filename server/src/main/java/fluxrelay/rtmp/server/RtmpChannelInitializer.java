package fluxrelay.rtmp.server;

import fluxrelay.rtmp.amf.AmfLimits;
import fluxrelay.rtmp.chunk.ChunkDecoder;
import fluxrelay.rtmp.chunk.ChunkEncoder;
import fluxrelay.rtmp.chunk.ChunkLimits;
import fluxrelay.rtmp.chunk.ReassemblyBudget;
import fluxrelay.rtmp.handshake.HandshakeLimits;
import fluxrelay.rtmp.handshake.ServerHandshakeHandler;
import fluxrelay.rtmp.message.AggregateSplitter;
import fluxrelay.rtmp.message.RtmpMessageDecoder;
import fluxrelay.rtmp.message.RtmpMessageEncoder;
import fluxrelay.rtmp.session.RtmpSession;
import fluxrelay.rtmp.session.SessionContext;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;

/**
 * The RTMP pipeline, one handler per layer: TLS for RTMPS, handshake (removes itself), chunk decoder, aggregate
 * splitter, message decoder, session; outbound mirrors it through the message and chunk encoders.
 */
final class RtmpChannelInitializer extends ChannelInitializer<SocketChannel> {

    private final HandshakeLimits handshakeLimits;
    private final ChunkLimits chunkLimits;
    private final ReassemblyBudget reassemblyBudget;
    private final SessionContext sessionContext;
    private final AggregateSplitter aggregateSplitter = new AggregateSplitter();
    private final RtmpMessageDecoder messageDecoder;
    private final RtmpMessageEncoder messageEncoder = new RtmpMessageEncoder();

    private final ChannelHandler connectionTracker;
    private final ChannelHandler connectionLimiter;
    private final SslContext tls;

    RtmpChannelInitializer(HandshakeLimits handshakeLimits, ChunkLimits chunkLimits, ReassemblyBudget reassemblyBudget,
                           AmfLimits amfLimits,
                           SessionContext sessionContext, ChannelHandler connectionTracker, ChannelHandler connectionLimiter,
                           SslContext tls) {
        this.tls = tls;
        this.connectionTracker = connectionTracker;
        this.connectionLimiter = connectionLimiter;
        this.handshakeLimits = handshakeLimits;
        this.chunkLimits = chunkLimits;
        this.reassemblyBudget = reassemblyBudget;
        this.sessionContext = sessionContext;
        this.messageDecoder = new RtmpMessageDecoder(amfLimits);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("connections", connectionTracker);
        p.addLast("limits", connectionLimiter);
        if (tls != null) {
            p.addLast("tls", tls.newHandler(ch.alloc()));
        }
        p.addLast("handshake", new ServerHandshakeHandler(handshakeLimits));
        p.addLast("chunkEncoder", new ChunkEncoder());
        // The 3073 handshake bytes count towards acknowledgements (RTMP spec 5.4.3).
        p.addLast("chunkDecoder", new ChunkDecoder(chunkLimits, 1 + 2 * 1536, reassemblyBudget));
        p.addLast("aggregateSplitter", aggregateSplitter);
        p.addLast("messageEncoder", messageEncoder);
        p.addLast("messageDecoder", messageDecoder);
        p.addLast("session", new RtmpSession(sessionContext));
    }
}
