package fluxrelay.rtmp.server;

import fluxrelay.rtmp.amf.AmfLimits;
import fluxrelay.rtmp.chunk.ChunkLimits;
import fluxrelay.rtmp.handshake.HandshakeLimits;
import fluxrelay.rtmp.session.SessionContext;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The RTMP (FMS-style) listener: binds, runs the RTMP pipeline per connection, and closes. */
public final class RtmpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RtmpServer.class);

    /**
     * Listener settings.
     *
     * @param host bind address
     * @param port port, 0 for ephemeral
     * @param writeBufferLowWaterMark per-connection write buffer low mark
     * @param writeBufferHighWaterMark per-connection write buffer high mark
     */
    public record Settings(String host, int port, int writeBufferLowWaterMark, int writeBufferHighWaterMark) {
    }

    private final Settings settings;
    private final ServerBootstrap bootstrap;
    private Channel channel;

    public RtmpServer(Settings settings, EventLoopGroup boss, EventLoopGroup workers, Class<? extends ServerChannel> channelType,
                      HandshakeLimits handshakeLimits, ChunkLimits chunkLimits, AmfLimits amfLimits, SessionContext context,
                      ChannelHandler connectionTracker, ChannelHandler connectionLimiter) {
        this.settings = settings;
        this.bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(settings.writeBufferLowWaterMark(), settings.writeBufferHighWaterMark()))
                .childHandler(new RtmpChannelInitializer(handshakeLimits, chunkLimits, amfLimits, context, connectionTracker, connectionLimiter));
    }

    /** Binds the listener; blocks until bound. */
    public void start() throws InterruptedException {
        channel = bootstrap.bind(settings.host(), settings.port()).sync().channel();
        log.info("RTMP listening on {}", channel.localAddress());
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
    }

    /** Stops accepting connections; existing ones live until their event loops stop. */
    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
    }
}
