package fluxrelay.rtmp.server;

import fluxrelay.rtmp.amf.AmfLimits;
import fluxrelay.rtmp.chunk.ChunkLimits;
import fluxrelay.rtmp.chunk.ReassemblyBudget;
import fluxrelay.rtmp.handshake.HandshakeLimits;
import fluxrelay.rtmp.session.SessionContext;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The RTMP (FMS-style) listener, and RTMPS beside it when a certificate is configured. */
public final class RtmpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RtmpServer.class);

    /**
     * Listener settings.
     *
     * @param host bind address
     * @param port port, 0 for ephemeral
     * @param writeBufferLowWaterMark per-connection write buffer low mark
     * @param writeBufferHighWaterMark per-connection write buffer high mark
     * @param tlsPort RTMPS port, -1 for none (0 for ephemeral)
     */
    public record Settings(String host, int port, int writeBufferLowWaterMark, int writeBufferHighWaterMark, int tlsPort) {
    }

    private final Settings settings;
    private final ServerBootstrap bootstrap;
    private final ServerBootstrap tlsBootstrap;
    private Channel channel;
    private Channel tlsChannel;

    /**
     * @param reassemblyBudget server-wide budget for partly received messages, shared by every connection of both
     *     listeners
     */
    public RtmpServer(Settings settings, EventLoopGroup boss, EventLoopGroup workers, Class<? extends ServerChannel> channelType,
                      HandshakeLimits handshakeLimits, ChunkLimits chunkLimits, ReassemblyBudget reassemblyBudget,
                      AmfLimits amfLimits, SessionContext context,
                      ChannelHandler connectionTracker, ChannelHandler connectionLimiter, SslContext tls) {
        this.settings = settings;
        this.bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(settings.writeBufferLowWaterMark(), settings.writeBufferHighWaterMark()))
                .childHandler(new RtmpChannelInitializer(handshakeLimits, chunkLimits, reassemblyBudget, amfLimits, context,
                        connectionTracker, connectionLimiter, null));
        this.tlsBootstrap = tls == null || settings.tlsPort() < 0 ? null : bootstrap.clone()
                .childHandler(new RtmpChannelInitializer(handshakeLimits, chunkLimits, reassemblyBudget, amfLimits, context,
                        connectionTracker, connectionLimiter, tls));
    }

    /** Binds the listener; blocks until bound. */
    public void start() throws InterruptedException {
        channel = bootstrap.bind(settings.host(), settings.port()).sync().channel();
        log.info("RTMP listening on {}", channel.localAddress());
        if (tlsBootstrap != null) {
            tlsChannel = tlsBootstrap.bind(settings.host(), settings.tlsPort()).sync().channel();
            log.info("RTMPS listening on {}", tlsChannel.localAddress());
        }
    }

    /** The bound RTMPS port, or -1 when RTMPS is off. */
    public int tlsPort() {
        return tlsChannel == null ? -1 : ((InetSocketAddress) tlsChannel.localAddress()).getPort();
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Stops accepting new connections; connections already open go on. */
    public void stopAccepting() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        if (tlsChannel != null) {
            tlsChannel.close().syncUninterruptibly();
        }
    }

    /** Stops accepting connections; existing ones live until their event loops stop. */
    @Override
    public void close() {
        stopAccepting();
    }
}
