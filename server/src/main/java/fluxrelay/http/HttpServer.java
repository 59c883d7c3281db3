package fluxrelay.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import fluxrelay.netty.RequestTimeout;
import java.net.InetSocketAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP listener: HTTP-FLV, HLS, health and (later) admin and metrics, through one router. */
public final class HttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    /**
     * Listener settings.
     *
     * @param host bind address
     * @param port port, 0 for ephemeral
     * @param maxInitialLineLength longest request line
     * @param maxHeaderSize largest header block
     * @param maxContentLength largest request body
     * @param writeBufferLowWaterMark viewer write buffer low mark
     * @param writeBufferHighWaterMark viewer write buffer high mark
     * @param requestTimeoutMillis a request must arrive completely within this
     * @param idleTimeoutMillis a keep-alive connection may wait this long between requests
     * @param tlsPort HTTPS port, -1 for none (0 for ephemeral)
     */
    public record Settings(String host, int port, int maxInitialLineLength, int maxHeaderSize, int maxContentLength,
                           int writeBufferLowWaterMark, int writeBufferHighWaterMark, long requestTimeoutMillis,
                           long idleTimeoutMillis, int tlsPort) {
    }

    private final Settings settings;
    private final ServerBootstrap bootstrap;
    private final ServerBootstrap tlsBootstrap;
    private Channel channel;
    private Channel tlsChannel;

    public HttpServer(Settings settings, EventLoopGroup boss, EventLoopGroup workers, Class<? extends ServerChannel> channelType,
                      List<HttpRoute> routes, ChannelHandler connectionTracker, ChannelHandler connectionLimiter, SslContext tls) {
        this.settings = settings;
        this.bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(settings.writeBufferLowWaterMark(), settings.writeBufferHighWaterMark()))
                .childHandler(initializer(settings, routes, connectionTracker, connectionLimiter, null));
        this.tlsBootstrap = tls == null || settings.tlsPort() < 0 ? null
                : bootstrap.clone().childHandler(initializer(settings, routes, connectionTracker, connectionLimiter, tls));
    }

    private static ChannelInitializer<SocketChannel> initializer(Settings settings, List<HttpRoute> routes,
                                                                 ChannelHandler connectionTracker, ChannelHandler connectionLimiter,
                                                                 SslContext tls) {
        return new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("connections", connectionTracker);
                        ch.pipeline().addLast("limits", connectionLimiter);
                        if (tls != null) {
                            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast("codec", new HttpServerCodec(settings.maxInitialLineLength(),
                                settings.maxHeaderSize(), 8192));
                        ch.pipeline().addLast("timeout", new RequestTimeout(settings.requestTimeoutMillis(),
                                settings.idleTimeoutMillis()));
                        ch.pipeline().addLast("aggregator", new HttpObjectAggregator(settings.maxContentLength()));
                        ch.pipeline().addLast("router", new HttpRouter(routes));
                    }
                };
    }

    /** Binds the listener; blocks until bound. */
    public void start() throws InterruptedException {
        channel = bootstrap.bind(settings.host(), settings.port()).sync().channel();
        log.info("HTTP listening on {}", channel.localAddress());
        if (tlsBootstrap != null) {
            tlsChannel = tlsBootstrap.bind(settings.host(), settings.tlsPort()).sync().channel();
            log.info("HTTPS listening on {}", tlsChannel.localAddress());
        }
    }

    /** The bound HTTPS port, or -1 when HTTPS is off. */
    public int tlsPort() {
        return tlsChannel == null ? -1 : ((InetSocketAddress) tlsChannel.localAddress()).getPort();
    }

    /** The bound port. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        if (tlsChannel != null) {
            tlsChannel.close().syncUninterruptibly();
        }
    }
}
